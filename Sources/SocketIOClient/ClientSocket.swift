import EngineIOClient
import NIOConcurrencyHelpers
import NIOCore
import OrderedHandlers
import SocketIOTrace

/// Why a client socket left its namespace, with socket.io-client's reason strings.
public enum ClientDisconnectReason: String, Sendable {
    case ioServerDisconnect = "io server disconnect"
    case ioClientDisconnect = "io client disconnect"
    case pingTimeout = "ping timeout"
    case transportClose = "transport close"
    case transportError = "transport error"
    case parseError = "parse error"
}

/// Why `connect()` did not end in a connected socket.
public enum SocketConnectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's CONNECT_ERROR: the middleware's message and data (socket.io-client's connect_error).
    case refused(message: String, data: JSONValue?)
    case connection(EngineClientError)
    case timedOut
    /// The connection ended before the server answered.
    case disconnected(ClientDisconnectReason)

    public var description: String {
        switch self {
        case .refused(let message, let data): return "connect_error: \(message)" + (data.map { " " + $0.jsonText } ?? "")
        case .connection(let error): return error.description
        case .timedOut: return "no answer to CONNECT in time"
        case .disconnected(let reason): return "disconnected before connecting (\(reason.rawValue))"
        }
    }
}

public enum ClientAckError: Error, Sendable, Hashable {
    case timedOut
    case disconnected
    case invalidPacket(SocketEncodeError)
}

extension ClientAckError: CustomStringConvertible {
    /// socket.io's wording where it has one ("operation has timed out").
    public var description: String {
        switch self {
        case .timedOut: return "operation has timed out"
        case .disconnected: return "the socket disconnected before the answer"
        case .invalidPacket(let error): return "cannot encode the emit: \(error)"
        }
    }
}

/// What `on`, `once`, `onAny` and `onAnyOutgoing` return: pass it to `off` to remove that listener.
public struct ListenerToken: Sendable, Hashable {
    let id: UInt64
}

/// An event from the server, with the responder when the server asked for an ack.
public struct ClientEvent: Sendable {
    public var name: String
    public var arguments: [JSONValue]
    public var ack: (@Sendable ([JSONValue]) -> Void)?
}

/// A client's membership of one namespace: socket.io-client's `Socket`. Safe from any thread;
/// handlers run on the connection's event loop in the order packets arrived.
public final class ClientSocket: Sendable {
    public let namespace: String
    /// The manager whose connection this socket uses (`close()` ends it).
    public let manager: SocketManager

    private struct State {
        var membership = ClientMembership()
        var handlers: [String: [Listener]] = [:]
        var anyHandlers: [Listener] = []
        var outgoingHandlers: [Listener] = []
        var nextListener: UInt64 = 0
        /// Where `async` listeners run, one at a time in arrival order; made with the first one.
        var lane: HandlerLane?
        var disconnectHandlers: [@Sendable (ClientDisconnectReason) -> Void] = []
        var connectHandlers: [@Sendable (String) -> Void] = []
        /// Emits made while not connected, sent in order on connect.
        var buffer: [SocketPacket] = []
        var acks: [UInt64: PendingAck] = [:]
        /// Whether the sweep that expires overdue acks is scheduled (one timer per socket, not one per emit).
        var sweeping = false
        var nextAckID: UInt64 = 0
        var connectWaiter: CheckedContinuation<Result<String, SocketConnectError>, Never>?
        var auth: AuthSource = .value(nil)
        /// The auth the last CONNECT carried, for the trace of its answer.
        var sentAuth: JSONObject?

        /// Whether a packet can leave now; if not, it is kept for the connect.
        mutating func sendsNow(orBuffers packet: SocketPacket) -> Bool {
            if membership.isConnected { return true }
            buffer.append(packet)
            return false
        }
    }

    /// An emit waiting for its ack: who to tell, and until when.
    struct PendingAck {
        var reply: @Sendable (Result<[JSONValue], ClientAckError>) -> Void
        var deadline: NIODeadline

        func resolve(_ result: Result<[JSONValue], ClientAckError>) { reply(result) }
    }

    struct Listener {
        var token: ListenerToken
        var once: Bool
        var handler: EventHandler<ClientEvent>
    }

    /// The CONNECT payload: a value, or a provider asked again at every attempt (a fresh token).
    enum AuthSource {
        case value(JSONObject?)
        case provider(@Sendable () async -> JSONObject?)

        func resolve() async -> JSONObject? {
            switch self {
            case .value(let auth): return auth
            case .provider(let provide): return await provide()
            }
        }
    }
    private let state = NIOLockedValueBox(State())

    init(namespace: String, manager: SocketManager) {
        self.namespace = namespace
        self.manager = manager
    }

    /// The socket id the server gave (not the Engine.IO session id).
    public var id: String? { state.withLockedValue { $0.membership.id } }
    public var connected: Bool { state.withLockedValue { $0.membership.isConnected } }

    // MARK: Connecting

    /// Connects to the namespace (opening the shared connection first if needed). `auth` is the
    /// CONNECT payload the server's middleware reads. Returns the socket id.
    @discardableResult
    public func connect(auth: JSONObject? = nil, timeout: Duration = .seconds(20)) async throws(SocketConnectError) -> String {
        try await connect(source: .value(auth), timeout: timeout)
    }

    /// Connects with an auth provider, asked at this attempt and again before every reconnection
    /// (socket.io-client's `auth: (cb) => cb({ token: fresh() })`).
    @discardableResult
    public func connect(timeout: Duration = .seconds(20), authProvider: @escaping @Sendable () async -> JSONObject?)
        async throws(SocketConnectError) -> String {
        try await connect(source: .provider(authProvider), timeout: timeout)
    }

    private func connect(source: AuthSource, timeout: Duration) async throws(SocketConnectError) -> String {
        // The opening and the CONNECT wait on the connection's loop; the auth provider (the
        // user's code) does not run there.
        let manager = self.manager
        do {
            try await withTaskExecutorPreference(manager.taskExecutor) { () async throws(EngineClientError) in try await manager.open() }
        } catch {
            throw .connection(error)
        }
        let auth = await source.resolve()
        return try await withTaskExecutorPreference(manager.taskExecutor) { () async throws(SocketConnectError) -> String in
            try await sendConnect(source: source, auth: auth, timeout: timeout)
        }
    }

    /// Sends CONNECT and waits for the server's answer (or the timeout).
    private func sendConnect(source: AuthSource, auth: JSONObject?, timeout: Duration) async throws(SocketConnectError) -> String {
        let result: Result<String, SocketConnectError> = await withCheckedContinuation { continuation in
            let alreadyConnected = state.withLockedValue { s -> String? in
                s.auth = source
                if let id = s.membership.connectRequested() { return id }
                s.connectWaiter?.resume(returning: .failure(.disconnected(.ioClientDisconnect)))
                s.connectWaiter = continuation
                return nil
            }
            if let id = alreadyConnected { return continuation.resume(returning: .success(id)) }
            sendConnectPacket(auth: auth)
            manager.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                let waiter = self.state.withLockedValue { s -> CheckedContinuation<Result<String, SocketConnectError>, Never>? in
                    defer { s.connectWaiter = nil }
                    _ = s.membership.connectTimedOut()
                    return s.connectWaiter
                }
                waiter?.resume(returning: .failure(.timedOut))
            }
        }
        return try result.get()
    }

    /// Leaves the namespace ("io client disconnect"); it is not reconnected.
    public func disconnect() {
        let wasConnected = state.withLockedValue { $0.membership.clientDisconnected() }
        if wasConnected { manager.send(.disconnect(namespace: namespace)) }
        left(.ioClientDisconnect)
        manager.socketLeft()
    }

    /// Connected, connecting, or meaning to be (it comes back after a reconnection): what keeps the
    /// manager's connection open.
    var isActive: Bool {
        state.withLockedValue { $0.membership.isActive }
    }

    // MARK: Listening

    /// Calls `handler` for every `event` from the server.
    @discardableResult
    public func on(_ event: String, _ handler: @escaping @Sendable (ClientEvent) -> Void) -> ListenerToken {
        add(once: false, .immediate(handler)) { s, listener in s.handlers[event, default: []].append(listener) }
    }

    /// A listener that can await (`socket.on("x") { event async in ... }`). This socket's `async`
    /// listeners run one at a time in the order events arrived, each after the one before returns.
    @discardableResult
    public func on(_ event: String, _ handler: @escaping @Sendable (ClientEvent) async -> Void) -> ListenerToken {
        add(once: false, .ordered(handler)) { s, listener in s.handlers[event, default: []].append(listener) }
    }

    /// Calls `handler` for the next `event` only.
    @discardableResult
    public func once(_ event: String, _ handler: @escaping @Sendable (ClientEvent) -> Void) -> ListenerToken {
        add(once: true, .immediate(handler)) { s, listener in s.handlers[event, default: []].append(listener) }
    }

    /// Calls `handler` for the next `event` only, in this socket's `async` order.
    @discardableResult
    public func once(_ event: String, _ handler: @escaping @Sendable (ClientEvent) async -> Void) -> ListenerToken {
        add(once: true, .ordered(handler)) { s, listener in s.handlers[event, default: []].append(listener) }
    }

    /// Calls `handler` for every event from the server, before the event's own listeners.
    @discardableResult
    public func onAny(_ handler: @escaping @Sendable (ClientEvent) -> Void) -> ListenerToken {
        add(once: false, .immediate(handler)) { s, listener in s.anyHandlers.append(listener) }
    }

    /// Calls `handler` for every event from the server, in this socket's `async` order.
    @discardableResult
    public func onAny(_ handler: @escaping @Sendable (ClientEvent) async -> Void) -> ListenerToken {
        add(once: false, .ordered(handler)) { s, listener in s.anyHandlers.append(listener) }
    }

    /// Calls `handler` for every event this socket emits (its `ack` is nil), as it is sent or buffered.
    @discardableResult
    public func onAnyOutgoing(_ handler: @escaping @Sendable (ClientEvent) -> Void) -> ListenerToken {
        add(once: false, .immediate(handler)) { s, listener in s.outgoingHandlers.append(listener) }
    }

    private func add(once: Bool, _ handler: EventHandler<ClientEvent>,
                     _ store: (inout State, Listener) -> Void) -> ListenerToken {
        state.withLockedValue { s in
            let token = ListenerToken(id: s.nextListener)
            s.nextListener += 1
            store(&s, Listener(token: token, once: once, handler: handler))
            return token
        }
    }

    /// Removes one listener, whichever kind it is.
    public func off(_ token: ListenerToken) {
        state.withLockedValue { s in
            for key in s.handlers.keys { s.handlers[key]?.removeAll { $0.token == token } }
            s.anyHandlers.removeAll { $0.token == token }
            s.outgoingHandlers.removeAll { $0.token == token }
        }
    }

    /// Removes every listener of one event.
    public func off(_ event: String) {
        state.withLockedValue { _ = $0.handlers.removeValue(forKey: event) }
    }

    /// Removes every catch-all listener.
    public func offAny() {
        state.withLockedValue { $0.anyHandlers = [] }
    }

    public func onDisconnect(_ handler: @escaping @Sendable (ClientDisconnectReason) -> Void) {
        state.withLockedValue { $0.disconnectHandlers.append(handler) }
    }

    /// Called with the socket id each time the server admits the socket: the first connect and
    /// every rejoin after a reconnection (socket.io-client's `connect` event).
    public func onConnect(_ handler: @escaping @Sendable (String) -> Void) {
        state.withLockedValue { $0.connectHandlers.append(handler) }
    }

    // MARK: Emitting

    /// Emits an event; while not connected it is kept and sent, in order, on connect.
    public func emit(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) {
        let packet = SocketPacket.event(event, arguments, namespace: namespace)
        let encoded = try SocketPacketEncoder.encode(packet)   // refuse what cannot be sent, at once
        announceOutgoing(event, arguments)
        sendOrBuffer(packet, encoded: encoded)
    }

    /// Emits only if connected and the connection can take it now (on WebSocket, little enough
    /// waits unsent; on polling, no POST is under way); otherwise the event is dropped, not
    /// buffered, as socket.io-client's `socket.volatile.emit` does. Returns whether it was sent.
    @discardableResult
    public func emitVolatile(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) -> Bool {
        let packet = SocketPacket.event(event, arguments, namespace: namespace)
        let encoded = try SocketPacketEncoder.encode(packet)
        guard connected, manager.engine.isWritable else { return false }
        announceOutgoing(event, arguments)
        manager.send(packet, encoded: encoded)
        return true
    }

    private func announceOutgoing(_ event: String, _ arguments: [JSONValue]) {
        announceOutgoing(event, arguments, to: state.withLockedValue { $0.outgoingHandlers })
    }

    private func announceOutgoing(_ event: String, _ arguments: [JSONValue], to listeners: [Listener]) {
        guard !listeners.isEmpty else { return }
        let outgoing = ClientEvent(name: event, arguments: arguments, ack: nil)
        for listener in listeners { listener.handler.handle(outgoing, lane: lane) }
    }

    /// Emits and waits for the server's acknowledgement.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue] = [], timeout: Duration = .seconds(10)) async throws(ClientAckError) -> [JSONValue] {
        let result: Result<[JSONValue], ClientAckError> = await withCheckedContinuation { continuation in
            emitWithAck(event, arguments, timeout: timeout) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Emits and calls `reply` once with the server's acknowledgement, or the reason there is none
    /// (socket.io-client's `socket.timeout(ms).emit(event, ...args, callback)`). `reply` runs on the
    /// connection's event loop; no task is needed per emit, which is what many clients at scale want.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue] = [], timeout: Duration = .seconds(10),
                            reply: @escaping @Sendable (Result<[JSONValue], ClientAckError>) -> Void) {
        // Two turns of the lock per emit (id and listeners; then the pending ack, the sweep and
        // whether it can leave now): at many thousands of emits a second each turn shows.
        let (id, listeners) = state.withLockedValue { s -> (UInt64, [Listener]) in
            defer { s.nextAckID += 1 }
            return (s.nextAckID, s.outgoingHandlers)
        }
        let packet = SocketPacket.event(event, arguments, namespace: namespace, id: id)
        let encoded: EncodedSocketPacket
        do { encoded = try SocketPacketEncoder.encode(packet) } catch { return reply(.failure(.invalidPacket(error))) }
        announceOutgoing(event, arguments, to: listeners)
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let (startSweep, sendNow) = state.withLockedValue { s -> (Bool, Bool) in
            s.acks[id] = PendingAck(reply: reply, deadline: deadline)
            let startSweep = !s.sweeping
            s.sweeping = true
            return (startSweep, s.sendsNow(orBuffers: packet))
        }
        if startSweep { scheduleSweep() }
        if sendNow { manager.send(packet, encoded: encoded) }
    }

    static let sweepInterval = TimeAmount.milliseconds(50)

    /// Expires overdue acks every 50 ms while any is pending. A timer per emit would cost a heap
    /// insertion and a cancellation each; at tens of thousands of acks a second that dominated.
    private func scheduleSweep() {
        manager.eventLoop.scheduleTask(in: Self.sweepInterval) { () -> Void in
            let now = NIODeadline.now()
            let (overdue, again) = self.state.withLockedValue { s -> ([PendingAck], Bool) in
                let expired = s.acks.filter { $0.value.deadline <= now }
                for id in expired.keys { s.acks[id] = nil }
                s.sweeping = !s.acks.isEmpty
                return (Array(expired.values), s.sweeping)
            }
            for pending in overdue { pending.resolve(.failure(.timedOut)) }
            if again { self.scheduleSweep() }
        }
    }

    private func sendOrBuffer(_ packet: SocketPacket, encoded: EncodedSocketPacket) {
        if state.withLockedValue({ $0.sendsNow(orBuffers: packet) }) { manager.send(packet, encoded: encoded) }
    }

    // MARK: From the manager (on the loop)

    func receive(_ packet: SocketPacket) {
        switch packet.type {
        case .connect:
            guard case .string(let id)? = packet.payload?["sid"] else { return }
            let (waiter, buffered, auth, handlers) = state.withLockedValue { s in
                s.membership.connected(id: id)
                defer {
                    s.connectWaiter = nil
                    s.buffer = []
                }
                return (s.connectWaiter, s.buffer, s.sentAuth, s.connectHandlers)
            }
            if let trace = manager.trace {
                trace.record(.socketConnected(side: .client, namespace: namespace, socketID: id, sid: manager.sid,
                                              transport: manager.transport == .websocket ? .websocket : .polling,
                                              auth: auth, remoteAddress: nil))
            }
            for queued in buffered { manager.send(queued) }
            waiter?.resume(returning: .success(id))
            for handler in handlers { handler(id) }
        case .connectError:
            let message = packet.payload?["message"]?.stringValue ?? "connection refused"
            let waiter = state.withLockedValue { s in
                s.membership.refused()
                defer { s.connectWaiter = nil }
                return s.connectWaiter
            }
            waiter?.resume(returning: .failure(.refused(message: message, data: packet.payload?["data"])))
        case .event, .binaryEvent:
            guard let name = packet.eventName else { return }
            var ack: (@Sendable ([JSONValue]) -> Void)? = nil
            if let ackID = packet.id {
                let once = NIOLockedValueBox(false)
                ack = { [manager, namespace] arguments in
                    guard once.withLockedValue({ done in defer { done = true }; return !done }) else { return }
                    manager.send(.ack(arguments, id: ackID, namespace: namespace))
                }
            }
            let event = ClientEvent(name: name, arguments: packet.arguments, ack: ack)
            let (any, handlers) = state.withLockedValue { s in
                let own = s.handlers[name] ?? []
                if own.contains(where: \.once) { s.handlers[name]?.removeAll(where: \.once) }
                return (s.anyHandlers, own)
            }
            for listener in any { listener.handler.handle(event, lane: lane) }
            for listener in handlers { listener.handler.handle(event, lane: lane) }
        case .ack, .binaryAck:
            guard let id = packet.id else { return }
            state.withLockedValue { $0.acks.removeValue(forKey: id) }?.resolve(.success(packet.arguments))
        case .disconnect:
            // The server's decision: not undone by reconnecting, as in socket.io-client.
            state.withLockedValue { $0.membership.serverDisconnected() }
            left(.ioServerDisconnect)
            manager.socketLeft()
        }
    }

    /// After a reconnection: CONNECT again, with the same auth, if the socket wants to be connected.
    func rejoin() {
        let source = state.withLockedValue { s -> AuthSource? in
            guard s.membership.rejoinNeeded() else { return nil }
            return s.auth
        }
        guard let source else { return }
        switch source {
        case .value(let auth):
            sendConnectPacket(auth: auth)
        case .provider:
            // Asked again for this attempt: a token may have expired meanwhile.
            Task { sendConnectPacket(auth: await source.resolve()) }
        }
    }

    private func sendConnectPacket(auth: JSONObject?) {
        state.withLockedValue { $0.sentAuth = auth }
        manager.send(.connect(namespace: namespace, auth: auth))
    }

    func connectionLost(reason: ClientDisconnectReason) {
        let waiter = state.withLockedValue { s in
            defer {
                s.connectWaiter = nil
                s.membership.connectionLost()
            }
            return s.connectWaiter
        }
        waiter?.resume(returning: .failure(.disconnected(reason)))
        left(reason)
    }

    /// Fails pending acks and tells the disconnect handlers, once per connection.
    /// This socket's lane for `async` listeners, made on first use. It lives as long as the socket:
    /// a client socket comes back after a reconnection with its listeners.
    private func lane() -> HandlerLane {
        state.withLockedValue { $0.lane.madeIfNeeded() }
    }

    private func left(_ reason: ClientDisconnectReason) {
        let (acks, handlers, id) = state.withLockedValue { s in
            defer { s.acks = [:] }
            return (Array(s.acks.values), s.disconnectHandlers, s.membership.takeID())
        }
        for pending in acks { pending.resolve(.failure(.disconnected)) }
        guard let id else { return }
        manager.trace?.record(.socketDisconnected(side: .client, namespace: namespace, socketID: id, reason: reason.rawValue))
        for handler in handlers { handler(reason) }
    }
}
