import EngineIOClient
import SocketIOTrace
import NIOConcurrencyHelpers
import NIOCore

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

        /// A new connection takes the place of the current one (a reconnection attempt, or a
        /// fresh one after the last socket left): nothing of the old one's decoding or id carries over.
        mutating func replace(with engine: EngineClient, opening: EventLoopFuture<EngineHandshake>?,
                              mode: EngineClientConfiguration.Mode) {
            self.engine = engine
            decoder = SocketPacketDecoder()
            self.opening = opening
            sid = "-"
            transport = SocketManager.initialTransport(mode)
        }
    }
    private let link: NIOLockedValueBox<Link>
    private let sockets = NIOLockedValueBox<[String: ClientSocket]>([:])
    private let handlers = NIOLockedValueBox<ReconnectHandlers>(ReconnectHandlers())

    struct ReconnectHandlers {
        var attempt: [@Sendable (Int) -> Void] = []
        var success: [@Sendable (Int) -> Void] = []
        var failed: [@Sendable () -> Void] = []
    }

    public init(configuration: EngineClientConfiguration, reconnection: ReconnectionOptions = .init(), group: any EventLoopGroup,
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
        link.withLockedValue { link in
            if link.engine === client { link.transport = .websocket }
        }
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
            link.withLockedValue { $0.sid = handshake.sid }
        } catch let error as EngineClientError {
            throw error
        } catch {
            throw .connectionFailed(String(describing: error))
        }
    }

    /// Returns once every packet sent so far has left (polling: its POST was answered).
    public func flush() async {
        await engine.drain()
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
        let finished = link.withLockedValue { link -> EngineClient in
            let finished = link.engine
            link.reconnection.closedOnPurpose()
            link.replace(with: EngineClient(configuration: configuration, group: group, trace: trace), opening: nil,
                         mode: configuration.mode)
            return finished
        }
        Task {
            await finished.drain()
            finished.close()
        }
    }

    func send(_ packet: SocketPacket) {
        guard let encoded = try? SocketPacketEncoder.encode(packet) else { return }
        send(packet, encoded: encoded)
    }

    /// Sends a packet already encoded (emits encode once, to refuse what cannot be sent at once).
    func send(_ packet: SocketPacket, encoded: EncodedSocketPacket) {
        trace?.record(.socketPacket(side: .client, sid: sid, direction: .outbound, packet: packet))
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
        let (current, onPurpose) = link.withLockedValue { ($0.engine === client, $0.reconnection.isStopped) }
        guard current else { return }
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
            outcome = link.withLockedValue { link in
                link.sid = handshake.sid
                return link.reconnection.attemptSucceeded()
            }
        } catch {
            outcome = link.withLockedValue { $0.reconnection.attemptFailed(random: Double.random(in: 0..<1)) }
        }
        perform(outcome)
    }
}
