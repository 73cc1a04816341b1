import EngineIOProtocol
import EngineIOWebSocket
import NIOConcurrencyHelpers
import SocketIOTrace
import NIOCore
import NIOHTTP1
import NIOPosix

/// Receives what happens on a client session. Called on the client's event loop.
public protocol EngineClientDelegate: AnyObject, Sendable {
    func engineClient(_ client: EngineClient, didReceive data: EngineData)
    func engineClient(_ client: EngineClient, didCloseWith reason: EngineClientCloseReason)
    func engineClientDidUpgrade(_ client: EngineClient)
    /// A ping from the server arrived (the pong is already queued).
    func engineClientDidReceivePing(_ client: EngineClient)
}

extension EngineClientDelegate {
    public func engineClientDidUpgrade(_ client: EngineClient) {}
    public func engineClientDidReceivePing(_ client: EngineClient) {}
}

/// An Engine.IO v4 client session over HTTP long-polling, WebSocket, or polling upgraded to
/// WebSocket. All state lives on `eventLoop`; the public methods may be called from anywhere.
public final class EngineClient: @unchecked Sendable {
    public let configuration: EngineClientConfiguration
    public let eventLoop: any EventLoop
    /// Runs the connecting code on `eventLoop` (see `LoopTaskExecutor`).
    public let taskExecutor: LoopTaskExecutor
    let group: any EventLoopGroup

    /// What the connection is doing (`EngineClientMachine`); this class performs what it decides.
    private var machine = EngineClientMachine<any Channel>() { didSet { updateWritability() } }
    public private(set) var handshake: EngineHandshake?
    /// The transport in use: WebSocket once open on one (directly or after the upgrade).
    public var transport: EngineTransport { machine.transport }
    private weak var storedDelegate: (any EngineClientDelegate)?

    // Polling.
    private var pollConnection: HTTPClientConnection?
    private var postConnection: HTTPClientConnection?
    private var outbox: [EnginePacket] = []
    /// What `outbox` holds, counted against `maxOutboundBufferBytes`.
    private var outboxBytes = 0

    // WebSocket, and the probe during an upgrade.
    private var webSocket: (any Channel)? {
        didSet {
            webSocketHandler = webSocket?.handlerOnThisLoop(ClientWebSocketHandler.self)
            updateWritability()
        }
    }
    /// The WebSocket's handler when the connection runs on the client's loop: packets are handed
    /// to it directly rather than written through the pipeline.
    private var webSocketHandler: ClientWebSocketHandler?
    /// One flush per loop turn for what is written to the WebSocket.
    private let flusher: FlushCoalescer
    private var openPromise: EventLoopPromise<EngineHandshake>?
    /// The connections a connect in progress has opened, closed if it runs past `connectTimeout`.
    private var attemptChannels: [any Channel] = []

    /// Fires when no ping may have come for pingInterval + pingTimeout; a ping only moves the
    /// machine's `lastPing` (cancelling and setting a NIO timer per ping searched the loop's whole
    /// timer heap).
    private var watchdog: Scheduled<Void>?
    /// Set from any thread by `freeze`; read on the loop for each ping.
    private let frozen = NIOLockedValueBox(false)
    private var drainWaiters: [EventLoopPromise<Void>] = []
    /// Made once per client from `configuration.tls`.
    private var tlsContext: ClientTLSContext?
    /// Where this client's packets are reported, marked as the client side.
    let trace: (any TraceSink)?

    public init(configuration: EngineClientConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, trace: (any TraceSink)? = nil) {
        self.configuration = configuration
        self.group = group
        self.trace = trace
        eventLoop = group.next()
        taskExecutor = LoopTaskExecutor(eventLoop)
        flusher = FlushCoalescer(eventLoop: eventLoop)
    }

    /// Whether a packet sent now leaves at once (socket.io-client's `transport.writable`, which
    /// decides whether a volatile emit is sent or dropped): open, and on WebSocket with NIO's
    /// outbound buffer under its high-water mark, on polling with no POST waiting for its answer
    /// and no upgrade under way. Readable from any thread.
    public var isWritable: Bool {
        writability.withLockedValue { w in
            guard w.open else { return false }
            if let webSocket = w.webSocket { return webSocket.isWritable }
            return !w.pollingBusy
        }
    }

    private struct Writability {
        var open = false
        var webSocket: (any Channel)?
        var pollingBusy = false
    }

    /// A copy of what `isWritable` needs, kept up to date on the loop.
    private let writability = NIOLockedValueBox(Writability())

    private func updateWritability() {
        // `webSocket` is set only while the connection is on one (directly or after the upgrade).
        let current = Writability(open: machine.isOpen, webSocket: webSocket, pollingBusy: machine.pollingBusy)
        writability.withLockedValue { $0 = current }
    }

    private var traceSID: String { handshake?.sid ?? "-" }
    private var traceTransport: TraceTransport { transport == .websocket ? .websocket : .polling }

    private func traced(_ packet: EnginePacket, _ direction: TraceDirection, over transport: TraceTransport? = nil) {
        trace?.record(.enginePacket(side: .client, sid: traceSID, direction: direction, transport: transport ?? traceTransport, packet: packet))
    }

    /// Set before `connect()`; held weakly.
    public var delegate: (any EngineClientDelegate)? {
        get { eventLoop.assertInEventLoop(); return storedDelegate }
        set {
            if eventLoop.inEventLoop { storedDelegate = newValue } else { eventLoop.execute { self.storedDelegate = newValue } }
        }
    }

    public func setDelegate(_ delegate: any EngineClientDelegate) async {
        try? await eventLoop.submit { self.storedDelegate = delegate }.get()
    }

    /// The TLS context, read on the loop that owns it.
    private func currentTLS() async -> ClientTLSContext? {
        try? await eventLoop.submit { self.tlsContext }.get()
    }

    private var hostHeader: String { "\(configuration.host):\(configuration.port)" }

    // MARK: Connecting

    /// Opens the session and returns the server's handshake.
    public func connect() async throws(EngineClientError) -> EngineHandshake {
        // Made here, off the loop: it may read certificate files.
        let tls = Result { () throws(EngineClientError) -> ClientTLSContext? in
            guard let options = configuration.tls else { return nil }
            return try ClientTLSContext(options, host: configuration.host)
        }
        let limit = configuration.connectTimeout
        // Left to fire rather than cancelled: NIO cancels by searching the loop's whole timer heap,
        // which holds a watchdog per connected client; the attempt lets go of the client instead.
        let attempt = ConnectAttempt(client: self)
        eventLoop.scheduleTask(in: TimeAmount(limit)) { attempt.client?.abandonConnect() }
        defer {
            onLoop {
                attempt.client = nil
                self.attemptChannels = []
            }
        }
        do {
            return try await withTaskExecutorPreference(taskExecutor) { () async throws(EngineClientError) -> EngineHandshake in
                try await connectOnLoop(tls: tls)
            }
        } catch {
            // Whatever the waits it cut short said, the reason is the time limit.
            if (try? await eventLoop.submit { self.machine.connectTimedOut }.get()) == true { throw .timedOut(limit) }
            throw error
        }
    }

    /// Past `connectTimeout` with the session not open: its connections are closed, which ends
    /// every wait of the connect in progress.
    private func abandonConnect() {
        guard machine.connectDeadlinePassed() else { return }
        for channel in attemptChannels { channel.close(promise: nil) }
        attemptChannels = []
        performClose(.transportError, wasOpen: false, sendClosePacket: false)
    }

    /// A connection the connect in progress opened (on the client's loop).
    private func attemptOpened(_ channel: any Channel) {
        if machine.isConnecting { attemptChannels.append(channel) } else if machine.isClosed { channel.close(promise: nil) }
    }

    private func connectOnLoop(tls: Result<ClientTLSContext?, EngineClientError>) async throws(EngineClientError) -> EngineHandshake {
        let started = try? await eventLoop.submit { self.machine.connectStarted() }.get()
        guard started == true else { throw .protocolError("connect() may be called once") }
        do {
            if let context = try tls.get() {
                try await eventLoop.submit { self.tlsContext = context }.get()
            }
            switch configuration.mode {
            case .websocket: return try await connectWebSocketOnly()
            case .polling, .upgrade: return try await connectPolling()
            }
        } catch {
            // Every failure ends the session, which also completes a pending open promise.
            try? await eventLoop.submit { self.close(.transportError, sendClosePacket: false) }.get()
            if let error = error as? EngineClientError { throw error }
            throw .connectionFailed(String(describing: error))
        }
    }

    private func connectPolling() async throws -> EngineHandshake {
        let c = configuration
        let poll: HTTPClientConnection
        do {
            poll = try await HTTPClientConnection.connect(host: c.host, port: c.port, group: eventLoop, maxBody: c.maxPayload,
                                                          tls: currentTLS(), onChannel: { [self] in attemptOpened($0) })
        } catch let error as EngineClientError {
            throw error
        } catch {
            throw EngineClientError.connectionFailed(String(describing: error))
        }
        let response = try await poll.send(method: .GET, uri: c.uri(transport: "polling", sid: nil), host: hostHeader,
                                           headers: c.headers, body: nil).get()
        guard response.status == 200 else {
            poll.close()
            throw EngineClientError.handshakeRefused(status: response.status, body: String(decoding: response.body, as: UTF8.self))
        }
        let packets: [EnginePacket]
        do { packets = try PollingPayload.decode(response.body, limits: EngineLimits(maxPayloadBytes: c.maxPayload)) } catch {
            throw EngineClientError.protocolError("handshake body: \(error)")
        }
        guard let first = packets.first, first.type == .open, let text = first.text else {
            throw EngineClientError.protocolError("the first packet is not an open packet")
        }
        let handshake: EngineHandshake
        do { handshake = try EngineHandshake(jsonText: text) } catch { throw EngineClientError.protocolError("\(error)") }
        let post = try await HTTPClientConnection.connect(host: c.host, port: c.port, group: eventLoop, maxBody: 1 << 16,
                                                          tls: currentTLS(), onChannel: { [self] in attemptOpened($0) })
        try await eventLoop.submit {
            guard self.machine.opened(on: nil, pingInterval: handshake.pingInterval, pingTimeout: handshake.pingTimeout,
                                      now: self.eventLoop.now) else {
                poll.close()
                post.close()
                throw EngineClientError.closed
            }
            self.pollConnection = poll
            self.postConnection = post
            self.handshake = handshake
            self.trace?.record(.engineOpened(side: .client, sid: handshake.sid, transport: .polling, remoteAddress: self.hostHeader))
            self.traced(first, .inbound)
            self.armWatchdog()
            for packet in packets.dropFirst() { self.receive(packet) }
            self.poll()
            self.flushPost()   // what was sent while connecting
            self.completeDrainIfQuiet()
        }.get()
        if c.mode == .upgrade && handshake.upgrades.contains("websocket") {
            Task { await self.startUpgrade() }
        }
        return handshake
    }

    /// Runs `body` on the client's loop: at once when already there.
    private func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }

    /// A frame's packet is handled in the read that brought it (a WebSocket's frames arrive on the
    /// client's loop), not in a task a loop turn later: no closure per packet, no extra turn.
    private func receiveOnLoop(_ channel: any Channel, _ result: Result<EnginePacket, EngineDecodeError>) {
        if eventLoop.inEventLoop {
            receiveFrame(result, from: channel)
        } else {
            eventLoop.execute { self.receiveFrame(result, from: channel) }
        }
    }

    private func connectWebSocketOnly() async throws -> EngineHandshake {
        let c = configuration
        let promise = eventLoop.makePromise(of: EngineHandshake.self)
        try await eventLoop.submit { self.openPromise = promise }.get()
        let channel = try await ClientWebSocket.connect(
            host: c.host, port: c.port, uri: c.uri(transport: "websocket", sid: nil), headers: c.headers,
            maxPayload: c.maxPayload, group: eventLoop, tls: await currentTLS(),
            onPacket: { [self] channel, result in receiveOnLoop(channel, result) },
            onClose: { [self] channel in onLoop { self.webSocketClosed(channel) } }, flusher: flusher,
            onChannel: { [self] in attemptOpened($0) })
        _ = channel
        return try await promise.futureResult.get()
    }

    // MARK: Upgrade

    private func startUpgrade() async {
        guard let sid = handshake?.sid else { return }
        let c = configuration
        do {
            let channel = try await ClientWebSocket.connect(
                host: c.host, port: c.port, uri: c.uri(transport: "websocket", sid: sid), headers: c.headers,
                maxPayload: c.maxPayload, group: eventLoop, tls: await currentTLS(),
                onPacket: { [self] channel, result in receiveOnLoop(channel, result) },
                onClose: { [self] channel in onLoop { self.webSocketClosed(channel) } }, flusher: flusher)
            eventLoop.execute {
                guard self.machine.probeConnected(channel) else { return channel.close(promise: nil) }
                self.traced(.probePing, .outbound, over: .websocket)
                channel.writeAndFlush(EnginePacket.probePing, promise: nil)
            }
        } catch {
            // The upgrade failed: polling goes on, as official clients do.
        }
    }

    /// The probe answered: no new GET or POST; the switch happens once none is in flight.
    private func probeAnswered(on channel: any Channel) {
        if case .upgrade(let socket) = machine.probeAnswered(on: channel) { finishUpgrade(to: socket) }
    }

    /// The machine switched to the probe: it becomes the transport, and what was queued goes on it.
    private func finishUpgrade(to channel: any Channel) {
        webSocket = channel
        traced(.upgrade, .outbound)
        trace?.record(.engineUpgraded(side: .client, sid: traceSID))
        channel.writeAndFlush(EnginePacket.upgrade, promise: nil)
        let queued = takeOutbox()
        for packet in queued {
            traced(packet, .outbound)
            channel.write(packet, promise: nil)
        }
        channel.flush()
        pollConnection?.close()
        postConnection?.close()
        pollConnection = nil
        postConnection = nil
        storedDelegate?.engineClientDidUpgrade(self)
        completeDrainIfQuiet()
    }

    // MARK: Sending

    /// Sends a packet: at once on WebSocket, with the next POST on polling (batched up to maxPayload).
    public func send(_ packet: EnginePacket) {
        if eventLoop.inEventLoop { enqueue(packet) } else { eventLoop.execute { self.enqueue(packet) } }
    }

    public func send(text: String) { send(.message(text)) }
    public func send(binary: [UInt8]) { send(.binary(binary)) }

    private func enqueue(_ packet: EnginePacket) {
        guard machine.isOpen || machine.isConnecting else { return }
        if let webSocket {
            // NIO keeps what the socket has not taken; a server that stops reading would make it grow.
            if !webSocket.isWritable, let waiting = try? webSocket.syncOptions?.getOption(.bufferedWritableBytes),
               waiting > configuration.maxOutboundBufferBytes {
                close(.outboundBufferFull, sendClosePacket: false)
                return
            }
            traced(packet, .outbound)
            if let webSocketHandler {
                webSocketHandler.send(packet)
            } else {
                webSocket.write(packet, promise: nil)
            }
            flusher.flushSoon(webSocket)
            return
        }
        outboxBytes += Self.queuedBytes(packet)
        if outboxBytes > configuration.maxOutboundBufferBytes {
            close(.outboundBufferFull, sendClosePacket: false)
            return
        }
        outbox.append(packet)
        flushPost()
    }

    /// The outbox's packets, leaving it empty (they go to a WebSocket that just opened).
    private func takeOutbox() -> [EnginePacket] {
        defer {
            outbox = []
            outboxBytes = 0
        }
        return outbox
    }

    /// What a queued packet counts against the bound: its data (base64 for polling is not counted).
    private static func queuedBytes(_ packet: EnginePacket) -> Int {
        switch packet.data {
        case .text(let text): return text.utf8.count + 1
        case .binary(let bytes): return bytes.count + 1
        case nil: return 1
        }
    }

    private func flushPost() {
        guard !outbox.isEmpty, let post = postConnection, let sid = handshake?.sid, machine.startPost() else { return }
        // Batch up to the server's maxPayload.
        let limit = handshake?.maxPayload ?? 1_000_000
        var batch: [EnginePacket] = []
        var size = 0
        while let next = outbox.first {
            let cost = PollingPayload.encode([next]).count + 1
            if !batch.isEmpty && size + cost > limit { break }
            batch.append(outbox.removeFirst())
            outboxBytes -= Self.queuedBytes(next)
            size += cost
        }
        for packet in batch { traced(packet, .outbound) }
        post.send(method: .POST, uri: configuration.uri(transport: "polling", sid: sid), host: hostHeader,
                  headers: configuration.headers, body: PollingPayload.encode(batch))
            .hop(to: eventLoop).whenComplete { result in
                let succeeded = if case .success(let response) = result { response.status == 200 } else { false }
                switch self.machine.postFinished(succeeded: succeeded) {
                case .next: self.flushPost()
                case .upgrade(let socket): self.finishUpgrade(to: socket)
                case .close(let reason): self.performClose(reason, wasOpen: true, sendClosePacket: false)
                case .ignore: break
                }
                self.completeDrainIfQuiet()
            }
    }

    /// Returns once everything sent so far has left: at once on WebSocket, after the last POST was
    /// answered on polling (or when the session closed). Use before `close()` to lose nothing.
    public func drain() async {
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute {
            self.drainWaiters.append(promise)
            self.completeDrainIfQuiet()
        }
        try? await promise.futureResult.get()
    }

    private func completeDrainIfQuiet() {
        guard !drainWaiters.isEmpty, machine.isClosed || machine.isOpen && outbox.isEmpty && machine.pollingQuiet else { return }
        let waiters = drainWaiters
        drainWaiters = []
        for waiter in waiters { waiter.succeed(()) }
    }

    // MARK: Receiving

    private func poll() {
        guard let connection = pollConnection, let sid = handshake?.sid, machine.startPoll() else { return }
        connection.send(method: .GET, uri: configuration.uri(transport: "polling", sid: sid), host: hostHeader,
                        headers: configuration.headers, body: nil)
            .hop(to: eventLoop).whenComplete { result in
                var body: [UInt8]?
                if case .success(let response) = result, response.status == 200 { body = response.body }
                // The packets are taken before the switch an answered probe may be waiting for.
                if let body, self.machine.polling != nil {
                    do {
                        let packets = try PollingPayload.decode(body, limits: EngineLimits(maxPayloadBytes: self.configuration.maxPayload))
                        for packet in packets where self.machine.isOpen { self.receive(packet) }
                    } catch {
                        self.close(.parseError, sendClosePacket: false)
                        return
                    }
                }
                switch self.machine.pollFinished(succeeded: body != nil) {
                case .next: self.poll()
                case .upgrade(let socket): self.finishUpgrade(to: socket)
                case .close(let reason): self.performClose(reason, wasOpen: true, sendClosePacket: false)
                case .ignore: break
                }
            }
    }

    private func receiveFrame(_ result: Result<EnginePacket, EngineDecodeError>, from channel: any Channel) {
        let isProbe = machine.isProbe(channel)
        // Frames from a channel that is neither the probe nor the main WebSocket (a closed one) are
        // ignored; before the open packet the WebSocket-only channel is not recorded yet.
        guard isProbe || webSocket === channel || openPromise != nil else { return }
        guard case .success(let packet) = result else {
            if isProbe {
                probeEnded(channel)
                channel.close(promise: nil)
            } else {
                close(.parseError, sendClosePacket: false)
            }
            return
        }
        if isProbe {
            traced(packet, .inbound, over: .websocket)
            if packet.type == .pong && packet.text == "probe" { probeAnswered(on: channel) }
            return
        }
        if machine.isConnecting, let promise = openPromise {
            openPromise = nil
            guard packet.type == .open, let text = packet.text, let handshake = try? EngineHandshake(jsonText: text),
                  machine.opened(on: channel, pingInterval: handshake.pingInterval, pingTimeout: handshake.pingTimeout,
                                 now: eventLoop.now) else {
                promise.fail(EngineClientError.protocolError("the first frame is not an open packet"))
                return
            }
            // Adopt the channel now: a ping may follow at once, before connect() resumes.
            self.handshake = handshake
            webSocket = channel
            trace?.record(.engineOpened(side: .client, sid: handshake.sid, transport: .websocket, remoteAddress: hostHeader))
            traced(packet, .inbound)
            armWatchdog()
            // What was sent while connecting goes first.
            let queued = takeOutbox()
            for early in queued {
                traced(early, .outbound)
                channel.write(early, promise: nil)
            }
            channel.flush()
            promise.succeed(handshake)
            completeDrainIfQuiet()
            return
        }
        receive(packet)
    }

    private func webSocketClosed(_ channel: any Channel) {
        if let promise = openPromise {
            openPromise = nil
            promise.fail(EngineClientError.connectionFailed("the WebSocket closed before the open packet"))
        }
        switch machine.webSocketClosed(channel) {
        case .probeEnded(let wasPaused):
            if wasPaused { resumePolling() }
        case .connectionClosed:
            performClose(.transportClose, wasOpen: true, sendClosePacket: false)
        case .ignore:
            break
        }
    }

    /// The probe is gone (closed, or sent what cannot be read): the upgrade failed, polling goes on.
    private func probeEnded(_ channel: any Channel) {
        if machine.probeEnded(channel) { resumePolling() }
    }

    private func resumePolling() {
        poll()
        flushPost()
        completeDrainIfQuiet()
    }

    private func receive(_ packet: EnginePacket) {
        traced(packet, .inbound)
        switch packet.type {
        case .ping:
            machine.pingReceived(now: eventLoop.now)
            if !frozen.withLockedValue({ $0 }) { enqueue(.pong) }
            storedDelegate?.engineClientDidReceivePing(self)
        case .message:
            if let data = packet.data { storedDelegate?.engineClient(self, didReceive: data) }
        case .close:
            close(.serverClose, sendClosePacket: false)
        case .open, .pong, .upgrade, .noop:
            break
        }
    }

    /// No ping within pingInterval + pingTimeout means the link is dead. Set on open; when it fires
    /// after a later ping, it is set again for that ping's deadline.
    private func armWatchdog() {
        if watchdog == nil { scheduleWatchdog(at: machine.watchdogDeadline) }
    }

    private func scheduleWatchdog(at deadline: NIODeadline) {
        watchdog = eventLoop.scheduleTask(deadline: deadline) { [self] in
            watchdog = nil
            switch machine.watchdogFired(now: eventLoop.now) {
            case .close: performClose(.pingTimeout, wasOpen: true, sendClosePacket: false)
            case .checkAt(let next): scheduleWatchdog(at: next)
            case .none: break
            }
        }
    }

    // MARK: Faults, for debugging tools

    /// While frozen the client leaves the server's pings unanswered, as a suspended browser tab or
    /// a stopped process does: the server ends the session with "ping timeout".
    public func freeze(_ frozen: Bool = true) {
        self.frozen.withLockedValue { $0 = frozen }
    }

    /// Drops the connection as a network failure would: no close packet, the connections just
    /// close. The client reports "transport close" (and its manager reconnects, if allowed).
    public func dropConnection() {
        if eventLoop.inEventLoop { close(.transportClose, sendClosePacket: false) } else {
            eventLoop.execute { self.close(.transportClose, sendClosePacket: false) }
        }
    }

    // MARK: Closing

    /// Closes the session, telling the server.
    public func close() {
        if eventLoop.inEventLoop { close(.clientClose, sendClosePacket: true) } else {
            eventLoop.execute { self.close(.clientClose, sendClosePacket: true) }
        }
    }

    private func close(_ reason: EngineClientCloseReason, sendClosePacket: Bool) {
        let wasOpen = machine.isOpen
        guard machine.close(reason) else { return }
        performClose(reason, wasOpen: wasOpen, sendClosePacket: sendClosePacket)
    }

    /// Carries out the end of the connection the machine decided: the close packet (if asked and
    /// open), the connections released, waiters and the delegate told.
    private func performClose(_ reason: EngineClientCloseReason, wasOpen: Bool, sendClosePacket: Bool) {
        watchdog?.cancel()
        if wasOpen { trace?.record(.engineClosed(side: .client, sid: traceSID, reason: reason.rawValue)) }
        var closePacketSent: EventLoopFuture<Void>?
        if sendClosePacket && wasOpen {
            traced(.close, .outbound)
            if let webSocket {
                closePacketSent = webSocket.writeAndFlush(EnginePacket.close)
            } else if let post = postConnection, let sid = handshake?.sid {
                closePacketSent = post.send(method: .POST, uri: configuration.uri(transport: "polling", sid: sid), host: hostHeader,
                                            headers: configuration.headers, body: PollingPayload.encode([.close])).map { _ in () }
            }
        }
        let channels = [webSocket, machine.takeOrphanedProbe()].compactMap { $0 }
        let connections = [pollConnection, postConnection].compactMap { $0 }
        webSocket = nil
        pollConnection = nil
        postConnection = nil
        let release: @Sendable () -> Void = {
            for channel in channels { channel.close(promise: nil) }
            for connection in connections { connection.close() }
        }
        if let closePacketSent {
            // The connections go once the close packet has left (on polling, once the server has
            // answered it: a server may drop a request whose connection closes under it), at most 1 s.
            let fallback = eventLoop.scheduleTask(in: .seconds(1)) { release() }
            closePacketSent.whenComplete { _ in
                fallback.cancel()
                release()
            }
        } else {
            release()
        }
        openPromise?.fail(EngineClientError.closed)
        completeDrainIfQuiet()
        openPromise = nil
        if wasOpen { storedDelegate?.engineClient(self, didCloseWith: reason) }
    }
}

/// The client a connect attempt's deadline may abandon, until the attempt is over (then nil).
/// Touched on the client's loop only.
private final class ConnectAttempt: @unchecked Sendable {
    var client: EngineClient?
    init(client: EngineClient) { self.client = client }
}
