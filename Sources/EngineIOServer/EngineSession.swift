import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import SocketIOTrace

/// Receives what happens on a session. Called on the session's event loop.
public protocol EngineSessionDelegate: AnyObject, Sendable {
    func engineSession(_ session: EngineSession, didReceive data: EngineData)
    func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason)
    /// The transport changed (polling to WebSocket).
    func engineSessionDidUpgrade(_ session: EngineSession)
}

extension EngineSessionDelegate {
    public func engineSessionDidUpgrade(_ session: EngineSession) {}
}

/// One Engine.IO session: its transports, its queue of outgoing packets, its heartbeat.
///
/// All mutable state is confined to `eventLoop` (the loop of the connection that opened it);
/// the public methods may be called from anywhere and hop there. That confinement is what makes
/// the `@unchecked Sendable` sound.
public final class EngineSession: @unchecked Sendable {
    public let id: String
    public let eventLoop: any EventLoop
    /// The HTTP request that opened the session.
    public let request: EngineRequest
    let configuration: EngineServerConfiguration
    let trace: (any TraceSink)?
    /// Told when the session ends, to drop it from the server's table.
    let onEnded: @Sendable (EngineSession) -> Void

    public private(set) var transport: EngineTransport
    public private(set) var isClosed = false
    /// Set by the connection handler; messages that arrive before it is set are kept until it is.
    public var delegate: (any EngineSessionDelegate)? {
        get { eventLoop.assertInEventLoop(); return storedDelegate }
        set {
            eventLoop.assertInEventLoop()
            storedDelegate = newValue
            let early = earlyMessages
            earlyMessages = []
            for data in early { newValue?.engineSession(self, didReceive: data) }
        }
    }
    private var storedDelegate: (any EngineSessionDelegate)?
    private var earlyMessages: [EngineData] = []

    // Polling.
    private var outbox: [EnginePacket] = []
    private var outboxBytes = 0
    private var pendingPoll: PollResponder?
    private var postInProgress = false

    // WebSocket.
    private var webSocket: (any Channel)? {
        didSet { webSocketHandler = webSocket?.handlerOnThisLoop(EngineWebSocketHandler.self) }
    }
    /// The main WebSocket's handler when the connection runs on the session's loop (it usually
    /// does): packets are handed to it directly rather than written through the pipeline.
    private var webSocketHandler: EngineWebSocketHandler?
    private var probeSocket: (any Channel)?
    /// The probe was answered: the client is switching, so long-polls are released at once.
    private var probeAnswered = false
    private var upgradeDeadline: LoopTimer?
    /// A WebSocket handshake for this session was accepted and its socket is on its way.
    private var upgradeReserved = false

    /// One flush per loop turn, or per read of the WebSocket, for what is written to it.
    let flusher: FlushCoalescer

    // Heartbeat.
    /// The timers of the session's loop, shared with the loop's other sessions (setting and
    /// cancelling are O(1)): heartbeat and upgrade here, the connect deadline in Socket.IO.
    package let timers: LoopTimers
    private var pingTimer: LoopTimer?
    private var pongDeadline: LoopTimer?

    init(id: String, eventLoop: any EventLoop, timers: LoopTimers, request: EngineRequest, transport: EngineTransport,
         configuration: EngineServerConfiguration, trace: (any TraceSink)?, onEnded: @escaping @Sendable (EngineSession) -> Void) {
        self.id = id
        self.eventLoop = eventLoop
        self.request = request
        self.transport = transport
        self.configuration = configuration
        self.trace = trace
        self.onEnded = onEnded
        flusher = FlushCoalescer(eventLoop: eventLoop)
        self.timers = timers
    }

    var traceTransport: TraceTransport { transport == .polling ? .polling : .websocket }

    /// The open packet's data for this session.
    var handshake: EngineHandshake {
        let upgrades = transport == .polling && configuration.allowUpgrades && configuration.transports.contains(.websocket)
            ? ["websocket"] : []
        return EngineHandshake(sid: id, upgrades: upgrades, pingInterval: configuration.pingInterval,
                               pingTimeout: configuration.pingTimeout, maxPayload: configuration.maxHttpBufferSize)
    }

    // MARK: Sending

    /// Queues a packet for the client: written at once on WebSocket, with the next poll on polling.
    public func send(_ packet: EnginePacket) {
        deliver(packet, wireFrame: nil, volatile: false)
    }

    /// The same, with the WebSocket frame already made: the recipients of a broadcast share it.
    public func send(_ shared: SharedPacket) {
        deliver(shared.packet, wireFrame: shared.wireFrame, volatile: false)
    }

    /// Sends only if the transport can take it now (an open WebSocket that is writable, or a
    /// waiting long-poll); otherwise the packet is dropped. socket.io's volatile emits.
    public func sendVolatile(_ packet: EnginePacket) {
        deliver(packet, wireFrame: nil, volatile: true)
    }

    public func sendVolatile(_ shared: SharedPacket) {
        deliver(shared.packet, wireFrame: shared.wireFrame, volatile: true)
    }

    /// On the session's loop (hopping there from elsewhere): queues the packet, unless it is
    /// volatile and the transport cannot take it now.
    private func deliver(_ packet: EnginePacket, wireFrame: ByteBuffer?, volatile: Bool) {
        guard eventLoop.inEventLoop else {
            return eventLoop.execute { self.deliver(packet, wireFrame: wireFrame, volatile: volatile) }
        }
        if volatile {
            if transport == .websocket {
                guard let webSocket, webSocket.isWritable else { return }
            } else if pendingPoll == nil {
                return
            }
        }
        enqueue(packet, wireFrame: wireFrame)
    }

    public func send(text: String) { send(.message(text)) }
    public func send(binary: [UInt8]) { send(.binary(binary)) }

    /// Closes the session from the server side ("forced close" unless said otherwise).
    public func close(reason: EngineCloseReason = .forcedClose) {
        if eventLoop.inEventLoop {
            closeOnLoop(reason, sendClosePacket: true)
        } else {
            eventLoop.execute { self.closeOnLoop(reason, sendClosePacket: true) }
        }
    }

    private func enqueue(_ packet: EnginePacket, wireFrame: ByteBuffer? = nil) {
        guard !isClosed else { return }
        if let webSocket, transport == .websocket {
            trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .websocket, packet: packet))
            let outbound = wireFrame.map(WebSocketOutbound.framed) ?? .packet(packet)
            if let webSocketHandler {
                webSocketHandler.send(outbound)
            } else {
                webSocket.write(outbound, promise: nil)
            }
            flusher.flushSoon(webSocket)
            return
        }
        outbox.append(packet)
        outboxBytes += packet.byteCount
        if outbox.count > configuration.maxBufferedPackets {
            closeOnLoop(.transportError, sendClosePacket: false)
            return
        }
        if outboxBytes > configuration.maxOutboundBufferBytes {
            closeOnLoop(.outboundBufferFull, sendClosePacket: false)
            return
        }
        flushPoll()
    }

    /// Answers the pending long-poll with everything queued, if both exist.
    private func flushPoll() {
        guard let poll = pendingPoll, !outbox.isEmpty else { return }
        pendingPoll = nil
        let packets = outbox
        outbox = []
        outboxBytes = 0
        for packet in packets {
            trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .polling, packet: packet))
        }
        poll.respond(PollingPayload.encode(packets))
    }

    // MARK: Polling transport (called on the loop by the HTTP handler)

    enum PollRefusal: Error {
        case overlap
        case wrongTransport
    }

    /// A GET arrived: answer at once if packets wait, else hold it.
    func attachPoll(_ poll: PollResponder) throws(PollRefusal) {
        eventLoop.assertInEventLoop()
        guard transport == .polling, !isClosed else { throw .wrongTransport }
        if let previous = pendingPoll {
            // Two long-polls at once break ordering: a protocol violation that ends the session.
            pendingPoll = nil
            previous.respond(PollingPayload.encode([.close]))
            closeOnLoop(.transportError, sendClosePacket: false)
            throw .overlap
        }
        if probeAnswered {
            // Mid-upgrade, as the reference server does: a poll gets a noop, so the client can
            // finish its in-flight requests and send "5".
            trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .polling, packet: .noop))
            poll.respond(PollingPayload.encode([.noop]))
            return
        }
        pendingPoll = poll
        flushPoll()
    }

    /// The connection holding the pending poll went away before it was answered.
    func pollConnectionClosed(_ poll: PollResponder) {
        eventLoop.assertInEventLoop()
        guard let pending = pendingPoll, pending === poll else { return }
        pendingPoll = nil
        if transport == .polling && probeSocket == nil { closeOnLoop(.transportError, sendClosePacket: false) }
    }

    func beginPost() throws(PollRefusal) {
        eventLoop.assertInEventLoop()
        guard transport == .polling, !isClosed else { throw .wrongTransport }
        if postInProgress {
            closeOnLoop(.transportError, sendClosePacket: false)
            throw .overlap
        }
        postInProgress = true
    }

    func endPost() {
        postInProgress = false
    }

    /// A POST body arrived: decode and take each packet. Returns false when the body was refused
    /// (the session is then closed with "parse error").
    func receivePollingBody(_ body: [UInt8]) -> Bool {
        eventLoop.assertInEventLoop()
        do {
            let packets = try PollingPayload.decode(body, limits: configuration.limits)
            for packet in packets {
                trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .polling, packet: packet))
                receive(packet, from: nil)
                if isClosed { break }
            }
            return true
        } catch {
            closeOnLoop(.parseError, sendClosePacket: false)
            return false
        }
    }

    // MARK: WebSocket transport

    /// A WebSocket joined: the only transport of a WebSocket-only session, or a probe for an upgrade.
    func attachWebSocket(_ channel: any Channel, isUpgrade: Bool) {
        eventLoop.assertInEventLoop()
        guard !isClosed else {
            channel.close(promise: nil)
            return
        }
        if !isUpgrade {
            webSocket = channel
            return
        }
        if probeSocket != nil || webSocket != nil {
            channel.close(promise: nil)
            return
        }
        probeSocket = channel
        upgradeReserved = false
        upgradeDeadline = timers.schedule(in: .milliseconds(Int64(configuration.upgradeTimeout))) { [self] in
            guard let probe = probeSocket, probe === channel else { return }
            probeSocket = nil
            probeAnswered = false
            probe.close(promise: nil)
        }
    }

    /// Takes the session's one upgrade slot for a WebSocket handshake, if it is free: a second
    /// handshake for the same sid is refused at once, even before the first one's socket is
    /// attached. The slot is given back if no socket attaches within the upgrade timeout.
    func reserveUpgrade() -> Bool {
        eventLoop.assertInEventLoop()
        guard !isClosed, transport == .polling, probeSocket == nil, !upgradeReserved, configuration.allowUpgrades else { return false }
        upgradeReserved = true
        timers.schedule(in: .milliseconds(Int64(configuration.upgradeTimeout))) { [self] in
            if probeSocket == nil && transport == .polling { upgradeReserved = false }
        }
        return true
    }

    func receiveFrame(_ packet: EnginePacket, on channel: any Channel) {
        eventLoop.assertInEventLoop()
        guard !isClosed else { return }
        if let probe = probeSocket, probe === channel {
            receiveDuringProbe(packet, on: channel)
            return
        }
        guard let ws = webSocket, ws === channel else { return }
        trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .websocket, packet: packet))
        receive(packet, from: channel)
    }

    private func receiveDuringProbe(_ packet: EnginePacket, on channel: any Channel) {
        trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .websocket, packet: packet))
        switch (packet.type, packet.text) {
        case (.ping, "probe"?):
            let pong = EnginePacket.probePong
            trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .websocket, packet: pong))
            channel.writeAndFlush(WebSocketOutbound.packet(pong), promise: nil)
            probeAnswered = true
            // Release a waiting long-poll so the client stops polling and can send "5".
            // Packets still queued stay queued: they move to the WebSocket after "5", so nothing is lost.
            if let poll = pendingPoll {
                pendingPoll = nil
                trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .polling, packet: .noop))
                poll.respond(PollingPayload.encode([.noop]))
            }
        case (.upgrade, _):
            upgradeDeadline?.cancel()
            upgradeDeadline = nil
            probeSocket = nil
            probeAnswered = false
            webSocket = channel
            transport = .websocket
            if let poll = pendingPoll {
                pendingPoll = nil
                poll.respond(PollingPayload.encode([.noop]))
            }
            trace?.record(.engineUpgraded(side: .server, sid: id))
            let queued = outbox
            outbox = []
            outboxBytes = 0
            for packet in queued { enqueue(packet) }
            storedDelegate?.engineSessionDidUpgrade(self)
        default:
            // Anything else before the upgrade completes: the probe failed.
            probeSocket = nil
            probeAnswered = false
            upgradeDeadline?.cancel()
            channel.close(promise: nil)
        }
    }

    /// The WebSocket decoder refused a frame, or the frame was not valid Engine.IO.
    func webSocketFailed(_ channel: any Channel, reason: EngineCloseReason) {
        eventLoop.assertInEventLoop()
        if let probe = probeSocket, probe === channel {
            probeSocket = nil
            probeAnswered = false
            return
        }
        if let ws = webSocket, ws === channel {
            // The handler closes this connection with its own code; the session lets go of it first.
            webSocket = nil
            closeOnLoop(reason, sendClosePacket: false)
        }
    }

    func webSocketClosed(_ channel: any Channel) {
        eventLoop.assertInEventLoop()
        if let probe = probeSocket, probe === channel {
            probeSocket = nil
            probeAnswered = false
            upgradeDeadline?.cancel()
            return
        }
        if let ws = webSocket, ws === channel {
            webSocket = nil
            closeOnLoop(.transportClose, sendClosePacket: false)
        }
    }

    // MARK: Packets from the client

    private func receive(_ packet: EnginePacket, from channel: (any Channel)?) {
        switch packet.type {
        case .pong:
            pongDeadline?.cancel()
            pongDeadline = nil
            schedulePing()
        case .message:
            guard let data = packet.data else { return }
            if let delegate = storedDelegate {
                delegate.engineSession(self, didReceive: data)
            } else {
                earlyMessages.append(data)
            }
        case .close:
            closeOnLoop(.transportClose, sendClosePacket: false)
        case .ping, .open, .upgrade, .noop:
            // A v4 server sends pings and does not expect them; upgrade and noop only mean
            // something during the probe. Ignored, as the reference server does.
            break
        }
    }

    // MARK: Heartbeat

    func start() {
        eventLoop.assertInEventLoop()
        schedulePing()
    }

    private func schedulePing() {
        pingTimer?.cancel()
        pingTimer = timers.schedule(in: .milliseconds(Int64(configuration.pingInterval))) { [self] in
            guard !isClosed else { return }
            enqueue(.ping)
            pongDeadline = timers.schedule(in: .milliseconds(Int64(configuration.pingTimeout))) { [self] in
                closeOnLoop(.pingTimeout, sendClosePacket: false)
            }
        }
    }

    /// Packets queued for a polling client that has not fetched them yet (on the loop).
    var queuedCount: Int {
        eventLoop.assertInEventLoop()
        return outbox.count
    }

    // MARK: Closing

    func closeOnLoop(_ reason: EngineCloseReason, sendClosePacket: Bool) {
        eventLoop.assertInEventLoop()
        guard !isClosed else { return }
        if sendClosePacket {
            if let ws = webSocket, transport == .websocket {
                trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .websocket, packet: .close))
                ws.writeAndFlush(WebSocketOutbound.packet(.close), promise: nil)
            } else {
                outbox.append(.close)
                flushPoll()
            }
        }
        isClosed = true
        pingTimer?.cancel()
        pongDeadline?.cancel()
        upgradeDeadline?.cancel()
        if let poll = pendingPoll {
            pendingPoll = nil
            poll.respond(PollingPayload.encode([.close]))
        }
        webSocket?.writeAndFlush(WebSocketOutbound.closeConnection, promise: nil)
        probeSocket?.close(promise: nil)
        webSocket = nil
        probeSocket = nil
        outbox = []
        outboxBytes = 0
        trace?.record(.engineClosed(side: .server, sid: id, reason: reason.rawValue))
        onEnded(self)
        storedDelegate?.engineSession(self, didCloseWith: reason)
        storedDelegate = nil
    }
}

extension EnginePacket {
    /// Roughly what the packet costs queued: its data's size.
    var byteCount: Int {
        switch data {
        case .text(let text)?: text.utf8.count + 1
        case .binary(let bytes)?: bytes.count + 1
        case nil: 1
        }
    }
}

/// What the session writes to a WebSocket channel; the WebSocket handler turns it into a frame.
enum WebSocketOutbound: Sendable {
    case packet(EnginePacket)
    /// A packet's whole wire frame, already made (shared by a broadcast's recipients).
    case framed(ByteBuffer)
    /// Send a normal-closure frame and close the connection.
    case closeConnection
}

/// Answers one held long-poll request. Thread-safe: it writes through the channel.
final class PollResponder: Sendable {
    let respondBody: @Sendable ([UInt8]) -> Void
    init(respond: @escaping @Sendable ([UInt8]) -> Void) { respondBody = respond }
    func respond(_ body: [UInt8]) { respondBody(body) }
}

/// A packet framed once for many sessions: the WebSocket recipients of a broadcast write the same
/// buffer of wire bytes instead of each framing (allocating and copying) the same packet. Sessions
/// on long-polling take the packet.
public struct SharedPacket: Sendable {
    public let packet: EnginePacket
    let wireFrame: ByteBuffer

    public init(_ packet: EnginePacket) {
        self.packet = packet
        wireFrame = EngineFrames.wireFrame(for: packet, allocator: ByteBufferAllocator())
    }
}
