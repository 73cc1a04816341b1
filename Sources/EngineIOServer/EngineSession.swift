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

/// One Engine.IO session: executes what its lifecycle (`EngineSessionMachine`) decides, and keeps
/// what the machine does not need to decide anything: the queue of outgoing packets, the channels,
/// the timers, the layer above.
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

    typealias Machine = EngineSessionMachine<PollResponder, any Channel>
    private var machine: Machine

    public var transport: EngineTransport { machine.transport }
    public var isClosed: Bool { machine.isClosed }
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

    // WebSocket: the upgraded (or only) connection, cached from the machine for the hot path.
    private var webSocket: (any Channel)? {
        didSet { webSocketHandler = webSocket?.handlerOnThisLoop(EngineWebSocketHandler.self) }
    }
    /// The main WebSocket's handler when the connection runs on the session's loop (it usually
    /// does): packets are handed to it directly rather than written through the pipeline.
    private var webSocketHandler: EngineWebSocketHandler?
    private var upgradeTimer: LoopTimer?

    /// One flush per loop turn, or per read of the WebSocket, for what is written to it.
    let flusher: FlushCoalescer

    // Heartbeat.
    /// The timers of the session's loop, shared with the loop's other sessions (setting and
    /// cancelling are O(1)): heartbeat and upgrade here, the connect deadline in Socket.IO.
    package let timers: LoopTimers
    private var heartbeatTimer: LoopTimer?
    /// While a closed session waits for the GET that takes its close packet.
    private var farewellTimer: LoopTimer?
    /// The clock the machine is told: the loop's, unless a test says otherwise.
    private let now: @Sendable () -> NIODeadline

    init(id: String, eventLoop: any EventLoop, timers: LoopTimers, request: EngineRequest, transport: EngineTransport,
         webSocket: (any Channel)? = nil, configuration: EngineServerConfiguration, trace: (any TraceSink)?,
         now: @escaping @Sendable () -> NIODeadline = { .now() }, onEnded: @escaping @Sendable (EngineSession) -> Void) {
        self.id = id
        self.eventLoop = eventLoop
        self.request = request
        self.configuration = configuration
        self.trace = trace
        self.onEnded = onEnded
        self.now = now
        flusher = FlushCoalescer(eventLoop: eventLoop)
        self.timers = timers
        let timing = Machine.Timing(pingInterval: .milliseconds(Int64(configuration.pingInterval)),
                                    pingTimeout: .milliseconds(Int64(configuration.pingTimeout)),
                                    upgradeTimeout: .milliseconds(Int64(configuration.upgradeTimeout)))
        machine = Machine(transport: transport, webSocket: webSocket, timing: timing,
                          allowUpgrades: configuration.allowUpgrades && configuration.transports.contains(.websocket), now: now())
        self.webSocket = webSocket
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
            if let webSocket {
                guard webSocket.isWritable else { return }
            } else if machine.heldPoll == nil {
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
        if let webSocket {
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
        guard !machine.isClosed else { return }
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

    /// Answers the held long-poll with everything queued, if both exist.
    private func flushPoll() {
        guard !outbox.isEmpty, let poll = machine.takeHeldPoll() else { return }
        let packets = outbox
        outbox = []
        outboxBytes = 0
        answer(poll, with: packets)
    }

    private func answer(_ poll: PollResponder, with packets: [EnginePacket]) {
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
        switch machine.pollArrived(poll, now: now()) {
        case .hold:
            flushPoll()
        case .answerNoop:
            // Mid-upgrade, as the reference server does: the client finishes its requests and sends "5".
            answer(poll, with: [.noop])
        case .answerFarewell:
            answer(poll, with: outbox + [.close])
            forget()
        case .refuse(let closing):
            if let closing { finish(closing) }
            throw .wrongTransport
        case .refuseOverlap(let closing):
            // Two long-polls at once break ordering: the held one gets the close, this one a 400.
            finish(closing)
            throw .overlap
        }
    }

    /// The connection holding the pending poll went away before it was answered.
    func pollConnectionClosed(_ poll: PollResponder) {
        eventLoop.assertInEventLoop()
        if let closing = machine.pollConnectionLost(poll) { finish(closing) }
    }

    func beginPost() throws(PollRefusal) {
        eventLoop.assertInEventLoop()
        switch machine.postArrived(now: now()) {
        case .accept:
            return
        case .refuse(let closing):
            if let closing { finish(closing) }
            throw .wrongTransport
        case .refuseOverlap(let closing):
            finish(closing)
            throw .overlap
        }
    }

    func endPost() {
        machine.postEnded()
    }

    /// A POST body arrived: decode and take each packet. Returns false when the body was refused
    /// (the session is then closed with "parse error").
    func receivePollingBody(_ body: [UInt8]) -> Bool {
        eventLoop.assertInEventLoop()
        do {
            let packets = try PollingPayload.decode(body, limits: configuration.limits)
            for packet in packets {
                trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .polling, packet: packet))
                receive(packet)
                if isClosed { break }
            }
            return true
        } catch {
            closeOnLoop(.parseError, sendClosePacket: false)
            return false
        }
    }

    // MARK: WebSocket transport

    /// A WebSocket joined an existing session: the probe of an upgrade, or one more socket for a
    /// session that is upgrading or upgraded already, which is closed at once.
    func attachWebSocket(_ channel: any Channel) {
        eventLoop.assertInEventLoop()
        switch machine.webSocketJoined(channel, now: now()) {
        case .closeIt:
            channel.writeAndFlush(WebSocketOutbound.closeConnection, promise: nil)
        case .probe(let timeout):
            upgradeTimer = timers.schedule(in: timeout) { [self] in
                if let probe = machine.upgradeTimerFired(now: now()) { probe.close(promise: nil) }
            }
        }
    }

    func receiveFrame(_ packet: EnginePacket, on channel: any Channel) {
        eventLoop.assertInEventLoop()
        if let webSocket, webSocket === channel {
            trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .websocket, packet: packet))
            receive(packet)
            return
        }
        guard machine.probeSocket === channel else { return }
        trace?.record(.enginePacket(side: .server, sid: id, direction: .inbound, transport: .websocket, packet: packet))
        switch machine.probeFrame(packet.type, isProbe: packet.text == "probe", on: channel, now: now()) {
        case .ignore:
            break
        case .answerProbe(let poll):
            let pong = EnginePacket.probePong
            trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .websocket, packet: pong))
            channel.writeAndFlush(WebSocketOutbound.packet(pong), promise: nil)
            // Release a waiting long-poll so the client stops polling and can send "5". Packets
            // still queued stay queued: they move to the WebSocket after "5", so nothing is lost.
            if let poll { answer(poll, with: [.noop]) }
        case .promote(let poll):
            upgradeTimer?.cancel()
            upgradeTimer = nil
            webSocket = channel
            if let poll { answer(poll, with: [.noop]) }
            trace?.record(.engineUpgraded(side: .server, sid: id))
            let queued = outbox
            outbox = []
            outboxBytes = 0
            for packet in queued { enqueue(packet) }
            storedDelegate?.engineSessionDidUpgrade(self)
        case .failProbe:
            upgradeTimer?.cancel()
            upgradeTimer = nil
            channel.close(promise: nil)
        }
    }

    /// The WebSocket decoder refused a frame, or the frame was not valid Engine.IO.
    func webSocketFailed(_ channel: any Channel, reason: EngineCloseReason) {
        eventLoop.assertInEventLoop()
        // The handler closes this connection with its own code; the session lets go of it first.
        webSocketEnded(channel, reason: reason)
    }

    func webSocketClosed(_ channel: any Channel) {
        eventLoop.assertInEventLoop()
        webSocketEnded(channel, reason: .transportClose)
    }

    private func webSocketEnded(_ channel: any Channel, reason: EngineCloseReason) {
        let wasProbe = machine.probeSocket === channel
        let closing = machine.webSocketClosed(channel, reason: reason)
        if wasProbe {
            upgradeTimer?.cancel()
            upgradeTimer = nil
        }
        if let closing { finish(closing) }
    }

    // MARK: Packets from the client

    private func receive(_ packet: EnginePacket) {
        switch machine.packetReceived(packet.type, now: now()) {
        case .deliver:
            guard let data = packet.data else { return }
            if let delegate = storedDelegate {
                delegate.engineSession(self, didReceive: data)
            } else {
                earlyMessages.append(data)
            }
        case .ignore:
            break
        case .pingIn(let delay):
            armHeartbeat(in: delay)
        case .close(let closing):
            finish(closing)
        }
    }

    // MARK: Heartbeat

    /// Once the client has its open packet (and a WebSocket its handler): the heartbeat begins.
    func start() {
        eventLoop.assertInEventLoop()
        webSocketHandler = webSocket?.handlerOnThisLoop(EngineWebSocketHandler.self)
        armHeartbeat(in: machine.timing.pingInterval)
    }

    private func armHeartbeat(in delay: TimeAmount) {
        heartbeatTimer?.cancel()
        heartbeatTimer = timers.schedule(in: delay) { [self] in heartbeatFired() }
    }

    private func heartbeatFired() {
        let (action, closing) = machine.heartbeatTimerFired(now: now())
        switch action {
        case .none:
            break
        case .sendPing(let checkAgainIn):
            enqueue(.ping)
            armHeartbeat(in: checkAgainIn)
        case .checkAgainIn(let delay):
            // Rare (the loop ran the timer a little early by the machine's clock): NIO's own timer,
            // so this odd duration does not start a queue of its own in `timers`.
            heartbeatTimer?.cancel()
            heartbeatTimer = nil
            eventLoop.scheduleTask(in: delay) { [self] in heartbeatFired() }
        case .close:
            if let closing { finish(closing) }
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
        if sendClosePacket {
            // The client hears why before the transport goes: on its WebSocket, or with the held poll.
            if let webSocket {
                trace?.record(.enginePacket(side: .server, sid: id, direction: .outbound, transport: .websocket, packet: .close))
                webSocket.writeAndFlush(WebSocketOutbound.packet(.close), promise: nil)
            } else if let poll = machine.takeHeldPoll() {
                answer(poll, with: outbox + [.close])
            } else if let closing = machine.closeTellingClient(reason, now: now()) {
                // No poll held: the next GET gets the queue and the close packet.
                finish(closing)
                farewellTimer = timers.schedule(in: machine.timing.pingTimeout) { [self] in
                    if machine.farewellExpired(now: now()) { forget() }
                }
                return
            }
        }
        guard let closing = machine.close(reason) else { return }
        finish(closing)
    }

    /// The session is over and its last GET answered (or never coming): out of the server's table.
    private func forget() {
        farewellTimer?.cancel()
        farewellTimer = nil
        outbox = []
        outboxBytes = 0
        onEnded(self)
    }

    /// Carries out the end of the session the machine decided.
    private func finish(_ closing: Machine.Closing) {
        heartbeatTimer?.cancel()
        upgradeTimer?.cancel()
        if let poll = closing.heldPoll {
            answer(poll, with: [closing.answerHeldPollWithNoop ? .noop : .close])
        }
        if let webSocket = closing.webSocket {
            webSocket.writeAndFlush(WebSocketOutbound.closeConnection, promise: nil)
        }
        closing.probe?.close(promise: nil)
        webSocket = nil
        trace?.record(.engineClosed(side: .server, sid: id, reason: closing.reason.rawValue))
        if !closing.awaitsFarewellPoll { forget() }
        storedDelegate?.engineSession(self, didCloseWith: closing.reason)
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
