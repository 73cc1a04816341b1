import EngineIOClient
import SocketIOTrace
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Owns one Engine.IO connection and multiplexes a socket per namespace over it: socket.io-client's
/// `Manager`. When the connection is lost (not closed on purpose) it reconnects with backoff and
/// brings every namespace back with its auth. State is behind locks, safe from any thread.
public final class SocketManager: EngineClientDelegate, @unchecked Sendable {
    public let configuration: EngineClientConfiguration
    public let reconnection: ReconnectionOptions
    let group: any EventLoopGroup
    /// Where the connection's packets (both layers) and the sockets' lifecycle are reported, as the client side.
    let trace: (any TraceSink)?

    private struct Link {
        var engine: EngineClient
        var decoder = SocketPacketDecoder()
        var opening: EventLoopFuture<EngineHandshake>?
        /// Whether and when to reconnect; `stopped` once closed on purpose.
        var reconnection: ReconnectionMachine
        /// The Engine.IO session id once open, for traces.
        var sid = "-"
        var transport: EngineTransport
        /// The open connection's handshake (nil before it opens and after it closes).
        var handshake: EngineHandshake?

        /// A new connection takes the place of the current one (a reconnection attempt, or a
        /// fresh one after the last socket left): nothing of the old one's decoding or id carries over.
        mutating func replace(with engine: EngineClient, opening: EventLoopFuture<EngineHandshake>?,
                              mode: EngineClientConfiguration.Mode) {
            self.engine = engine
            decoder = SocketPacketDecoder()
            self.opening = opening
            sid = "-"
            handshake = nil
            transport = SocketManager.initialTransport(mode)
        }

        /// The connection `engine` opened with `handshake`: true the first time it is said, if it
        /// is still the current one (every caller waiting on the opening says it).
        mutating func opened(_ engine: EngineClient, _ handshake: EngineHandshake) -> Bool {
            guard self.engine === engine, self.handshake == nil else { return false }
            sid = handshake.sid
            self.handshake = handshake
            return true
        }
    }
    private let link: NIOLockedValueBox<Link>
    private let sockets = NIOLockedValueBox<[String: ClientSocket]>([:])
    private let handlers = NIOLockedValueBox<ManagerHandlers>(ManagerHandlers())

    /// socket.io-client's Manager events: the Engine.IO connection's life, and reconnection.
    struct ManagerHandlers {
        var open: [@Sendable (EngineHandshake) -> Void] = []
        var upgrade: [@Sendable (EngineTransport) -> Void] = []
        var ping: [@Sendable () -> Void] = []
        var close: [@Sendable (EngineClientCloseReason) -> Void] = []
        var attempt: [@Sendable (Int) -> Void] = []
        var success: [@Sendable (Int) -> Void] = []
        var failed: [@Sendable () -> Void] = []
    }

    public init(configuration: EngineClientConfiguration, reconnection: ReconnectionOptions = .init(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                trace: (any TraceSink)? = nil) {
        self.configuration = configuration
        self.reconnection = reconnection
        self.group = group
        self.trace = trace
        link = NIOLockedValueBox(Link(engine: EngineClient(configuration: configuration, group: group, trace: trace),
                                      reconnection: ReconnectionMachine(options: reconnection),
                                      transport: Self.initialTransport(configuration.mode)))
    }

    static func initialTransport(_ mode: EngineClientConfiguration.Mode) -> EngineTransport {
        mode == .websocket ? .websocket : .polling
    }

    var sid: String { link.withLockedValue { $0.sid } }

    /// The transport the current connection uses now (WebSocket after an upgrade).
    public var transport: EngineTransport {
        link.withLockedValue { $0.transport }
    }

    public func engineClientDidUpgrade(_ client: EngineClient) {
        let current = link.withLockedValue { link -> Bool in
            guard link.engine === client else { return false }
            link.transport = .websocket
            return true
        }
        guard current else { return }
        for handler in handlers.withLockedValue({ $0.upgrade }) { handler(.websocket) }
    }

    public func engineClientDidReceivePing(_ client: EngineClient) {
        guard link.withLockedValue({ $0.engine === client }) else { return }
        for handler in handlers.withLockedValue({ $0.ping }) { handler() }
    }

    /// The current connection's Engine.IO handshake: session id, ping interval and timeout, max
    /// payload, the transports it may upgrade to. Nil until it opens and once it closes.
    public var handshake: EngineHandshake? {
        link.withLockedValue { $0.handshake }
    }

    /// The Engine.IO session id of the current connection, once open.
    public var sessionID: String? {
        let sid = self.sid
        return sid == "-" ? nil : sid
    }

    var engine: EngineClient { link.withLockedValue { $0.engine } }
    var eventLoop: any EventLoop { engine.eventLoop }
    /// Runs the client's own waiting on the connection's loop (see `LoopTaskExecutor`).
    var taskExecutor: LoopTaskExecutor { engine.taskExecutor }

    /// Each time an Engine.IO connection opens (the first, and each reconnection), with its handshake.
    public func onOpen(_ handler: @escaping @Sendable (EngineHandshake) -> Void) { handlers.withLockedValue { $0.open.append(handler) } }
    /// When the connection moves to another transport (polling to WebSocket).
    public func onUpgrade(_ handler: @escaping @Sendable (EngineTransport) -> Void) { handlers.withLockedValue { $0.upgrade.append(handler) } }
    /// Each ping from the server (socket.io-client's Manager "ping").
    public func onPing(_ handler: @escaping @Sendable () -> Void) { handlers.withLockedValue { $0.ping.append(handler) } }
    /// When the Engine.IO connection closes, with why (socket.io-client's Manager "close").
    public func onClose(_ handler: @escaping @Sendable (EngineClientCloseReason) -> Void) { handlers.withLockedValue { $0.close.append(handler) } }
    /// Before each reconnection attempt, with its number (from 1).
    public func onReconnectAttempt(_ handler: @escaping @Sendable (Int) -> Void) { handlers.withLockedValue { $0.attempt.append(handler) } }
    /// After a successful reconnection, with the number of attempts it took.
    public func onReconnect(_ handler: @escaping @Sendable (Int) -> Void) { handlers.withLockedValue { $0.success.append(handler) } }
    /// When every attempt failed.
    public func onReconnectFailed(_ handler: @escaping @Sendable () -> Void) { handlers.withLockedValue { $0.failed.append(handler) } }

    /// The socket for a namespace (one per namespace per manager, as in socket.io-client).
    public func socket(_ namespace: String = "/") -> ClientSocket {
        let name = namespace.hasPrefix("/") ? namespace : "/" + namespace
        return sockets.withLockedValue { table in
            if let existing = table[name] { return existing }
            let socket = ClientSocket(namespace: name, manager: self)
            table[name] = socket
            return socket
        }
    }

    /// Opens the Engine.IO connection once; later calls wait for the same opening.
    func open() async throws(EngineClientError) {
        let (future, start, engine): (EventLoopFuture<EngineHandshake>, EventLoopPromise<EngineHandshake>?, EngineClient) = link.withLockedValue { link in
            link.reconnection.opened()
            if let existing = link.opening { return (existing, nil, link.engine) }
            let promise = link.engine.eventLoop.makePromise(of: EngineHandshake.self)
            link.opening = promise.futureResult
            return (promise.futureResult, promise, link.engine)
        }
        if let start {
            Task(executorPreference: engine.taskExecutor) {
                await engine.setDelegate(self)
                do { start.succeed(try await engine.connect()) } catch { start.fail(error) }
            }
        }
        do {
            let handshake = try await future.get()
            announceOpen(engine, handshake)
        } catch let error as EngineClientError {
            throw error
        } catch {
            throw .connectionFailed(String(describing: error))
        }
    }

    /// Records the handshake of a connection that just opened and tells the open listeners, once.
    private func announceOpen(_ engine: EngineClient, _ handshake: EngineHandshake) {
        guard link.withLockedValue({ $0.opened(engine, handshake) }) else { return }
        for handler in handlers.withLockedValue({ $0.open }) { handler(handshake) }
    }

    /// Returns once every packet sent so far has left (polling: its POST was answered).
    public func flush() async {
        await engine.drain()
    }

    /// Leaves the server's pings unanswered (or answers them again): the server's ping timeout
    /// follows, as with a frozen tab. For debugging tools; a new connection starts unfrozen.
    public func freeze(_ frozen: Bool = true) {
        link.withLockedValue { $0.engine }.freeze(frozen)
    }

    /// Drops the connection as a network failure would ("transport close"); with reconnection
    /// enabled, the manager reconnects and its sockets rejoin. For debugging tools.
    public func dropConnection() {
        link.withLockedValue { $0.engine }.dropConnection()
    }

    /// Closes the connection and every socket on it, without reconnecting.
    public func close() {
        let engine = link.withLockedValue { link -> EngineClient in
            link.reconnection.closedOnPurpose()
            return link.engine
        }
        engine.close()
    }

    /// A socket left its namespace for good (its own `disconnect()` or the server's DISCONNECT). With
    /// no socket left active, the Engine.IO connection closes once what was sent has left, as
    /// socket.io-client's Manager and python-socketio's client do; a later `connect()` opens a new one.
    func socketLeft() {
        guard sockets.withLockedValue({ $0.values.allSatisfy { !$0.isActive } }) else { return }
        let (finished, wasOpen) = link.withLockedValue { link -> (EngineClient, Bool) in
            let finished = (link.engine, link.handshake != nil)
            link.reconnection.closedOnPurpose()
            link.replace(with: EngineClient(configuration: configuration, group: group, trace: trace), opening: nil,
                         mode: configuration.mode)
            return finished
        }
        Task {
            await finished.drain()
            finished.close()
            // No longer the current connection, so its own close report is not passed on: this is it.
            if wasOpen { for handler in handlers.withLockedValue({ $0.close }) { handler(.clientClose) } }
        }
    }

    func send(_ packet: SocketPacket) {
        guard let encoded = try? SocketPacketEncoder.encode(packet) else { return }
        send(packet, encoded: encoded)
    }

    /// Sends a packet already encoded (emits encode once, to refuse what cannot be sent at once).
    func send(_ packet: SocketPacket, encoded: EncodedSocketPacket) {
        trace?.record(.socketPacket(side: .client, sid: sid, direction: .outbound, packet: packet.asSent(attachments: encoded.attachments.count)))
        let engine = self.engine
        engine.send(text: encoded.text)
        for attachment in encoded.attachments { engine.send(binary: attachment) }
    }

    // MARK: EngineClientDelegate (on the loop)

    public func engineClient(_ client: EngineClient, didReceive data: EngineData) {
        let decoded: Result<SocketDecoderResult, SocketDecodeError>? = link.withLockedValue { link in
            guard link.engine === client else { return nil }   // a connection already replaced
            return Result { () throws(SocketDecodeError) -> SocketDecoderResult in
                switch data {
                case .text(let text): return try link.decoder.decode(text: text)
                case .binary(let bytes): return try link.decoder.decode(binary: bytes)
                }
            }
        }
        guard let decoded else { return }
        let result: SocketDecoderResult
        do {
            result = try decoded.get()
        } catch {
            for socket in sockets.withLockedValue({ Array($0.values) }) { socket.connectionLost(reason: .parseError) }
            engine.close()
            return
        }
        guard case .packet(let packet) = result else { return }
        trace?.record(.socketPacket(side: .client, sid: sid, direction: .inbound, packet: packet))
        sockets.withLockedValue { $0[packet.namespace] }?.receive(packet)
    }

    public func engineClient(_ client: EngineClient, didCloseWith reason: EngineClientCloseReason) {
        let (current, onPurpose, wasOpen) = link.withLockedValue { link -> (Bool, Bool, Bool) in
            guard link.engine === client else { return (false, false, false) }
            defer { link.handshake = nil }
            return (true, link.reconnection.isStopped, link.handshake != nil)
        }
        guard current else { return }
        if wasOpen { for handler in handlers.withLockedValue({ $0.close }) { handler(reason) } }
        let why: ClientDisconnectReason
        switch reason {
        case .pingTimeout: why = .pingTimeout
        case .transportClose, .serverClose: why = .transportClose
        case .transportError, .outboundBufferFull: why = .transportError
        case .parseError: why = .parseError
        case .clientClose: why = .ioClientDisconnect
        }
        for socket in sockets.withLockedValue({ Array($0.values) }) { socket.connectionLost(reason: onPurpose ? .ioClientDisconnect : why) }
        guard reason != .clientClose else { return }
        perform(link.withLockedValue { $0.reconnection.connectionLost(random: Double.random(in: 0..<1)) })
    }

    // MARK: Reconnecting

    /// Carries out what the reconnection machine decided.
    private func perform(_ action: ReconnectionMachine.Action) {
        switch action {
        case .none:
            return
        case .wait(let milliseconds):
            Task {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                perform(link.withLockedValue { $0.reconnection.delayElapsed() })
            }
        case .attempt(let attempt):
            Task { await self.attempt(attempt) }
        case .rejoin(let attempts):
            for handler in handlers.withLockedValue({ $0.success }) { handler(attempts) }
            for socket in sockets.withLockedValue({ Array($0.values) }) { socket.rejoin() }
        case .giveUp:
            for handler in handlers.withLockedValue({ $0.failed }) { handler() }
        }
    }

    /// One attempt: a new connection; on success every socket that wants to be connected sends its
    /// CONNECT (with its auth) on it.
    private func attempt(_ attempt: Int) async {
        for handler in handlers.withLockedValue({ $0.attempt }) { handler(attempt) }
        let engine = EngineClient(configuration: configuration, group: group, trace: trace)
        await engine.setDelegate(self)
        // Anyone calling connect() meanwhile waits for this attempt.
        let promise = engine.eventLoop.makePromise(of: EngineHandshake.self)
        link.withLockedValue { $0.replace(with: engine, opening: promise.futureResult, mode: configuration.mode) }
        promise.completeWithTask { try await engine.connect() }
        let outcome: ReconnectionMachine.Action
        do {
            let handshake = try await promise.futureResult.get()
            announceOpen(engine, handshake)
            outcome = link.withLockedValue { $0.reconnection.attemptSucceeded() }
        } catch {
            outcome = link.withLockedValue { $0.reconnection.attemptFailed(random: Double.random(in: 0..<1)) }
        }
        perform(outcome)
    }
}
