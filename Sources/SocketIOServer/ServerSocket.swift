import EngineIOServer
import NIOConcurrencyHelpers
import NIOCore
import OrderedHandlers
import SocketIOTrace
import Synchronization

/// An event received from the client, with the responder when the client asked for an ack.
public struct SocketEvent: Sendable {
    public var name: String
    public var arguments: [JSONValue]
    /// Present when the client asked for an acknowledgement; call it once.
    public var ack: AckResponder?
}

/// Sends the ACK for one received event. Extra calls are ignored, as in socket.io. While one is
/// unanswered the server counts it as owed, so a graceful shutdown can wait for it.
public final class AckResponder: Sendable {
    private let socket: ServerSocket
    private let ackID: UInt64
    private let answered = Atomic<Bool>(false)

    init(socket: ServerSocket, ackID: UInt64) {
        self.socket = socket
        self.ackID = ackID
        socket.namespace.server.owedAcks.add()
    }

    deinit {
        // Dropped without an answer: nothing is owed any more.
        if !answered.load(ordering: .acquiring) { socket.namespace.server.owedAcks.remove() }
    }

    public func callAsFunction(_ arguments: [JSONValue] = []) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        socket.sendAck(arguments, id: ackID)
        // On the loop the ack is already queued, so the debt is settled now; from elsewhere the
        // ack is queued on the loop before this runs there, so a draining server never sees the
        // ack neither owed nor queued.
        let owed = socket.namespace.server.owedAcks
        let loop = socket.connection.session.eventLoop
        if loop.inEventLoop {
            owed.remove()
        } else {
            loop.execute { owed.remove() }
        }
    }
}

/// How many acks the server's handlers still owe their clients.
final class OwedAcks: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    func remove() { count.subtract(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// One client's membership of one namespace: socket.io's server-side `Socket`. Safe from any thread.
/// Synchronous handlers run on the connection's event loop, in the order packets arrived; `async`
/// ones run one at a time, in the same order, off the loop (see `HandlerLane`).
public final class ServerSocket: Sendable {
    public let id: String
    public let namespace: Namespace
    public let handshake: SocketHandshake
    let connection: ClientConnection

    private struct State {
        var connected = false
        var handlers: [String: [EventHandler<SocketEvent>]] = [:]
        var anyHandlers: [EventHandler<SocketEvent>] = []
        /// Made with the first `async` handler.
        var lane: HandlerLane?
        var packetMiddleware: [@Sendable (SocketEvent) throws -> Void] = []
        var errorHandlers: [@Sendable (any Error) -> Void] = []
        var disconnectingHandlers: [@Sendable (DisconnectReason) -> Void] = []
        var disconnectHandlers: [@Sendable (DisconnectReason) -> Void] = []
        var acks: [UInt64: AckWaiter] = [:]
        var nextAckID: UInt64 = 0
        var data: [String: any Sendable] = [:]
    }
    private let state = NIOLockedValueBox(State())

    init(id: String, namespace: Namespace, handshake: SocketHandshake, connection: ClientConnection) {
        self.id = id
        self.namespace = namespace
        self.handshake = handshake
        self.connection = connection
    }

    /// The Engine.IO session id of the underlying connection.
    public var engineID: String { connection.session.id }
    public var transport: EngineTransport { connection.session.transport }
    public var connected: Bool { state.withLockedValue { $0.connected } }
    public var rooms: Set<String> { namespace.adapter.rooms(of: id) }

    /// Free storage for the application (socket.io's `socket.data`).
    public subscript(data key: String) -> (any Sendable)? {
        get { state.withLockedValue { $0.data[key] } }
        set { state.withLockedValue { $0.data[key] = newValue } }
    }

    // MARK: Listening

    public func on(_ event: String, _ handler: @escaping @Sendable (SocketEvent) -> Void) {
        state.withLockedValue { $0.handlers[event, default: []].append(.immediate(handler)) }
    }

    /// A handler that can await (`socket.on("x") { event async in ... }`). This socket's `async`
    /// handlers run one at a time in the order events arrived, each after the one before returns.
    public func on(_ event: String, _ handler: @escaping @Sendable (SocketEvent) async -> Void) {
        state.withLockedValue { $0.handlers[event, default: []].append(.ordered(handler)) }
    }

    public func off(_ event: String) {
        state.withLockedValue { $0.handlers[event] = nil }
    }

    /// Called for every event, before the event's own handlers.
    public func onAny(_ handler: @escaping @Sendable (SocketEvent) -> Void) {
        state.withLockedValue { $0.anyHandlers.append(.immediate(handler)) }
    }

    /// Called for every event, before the event's own handlers, in this socket's `async` order.
    public func onAny(_ handler: @escaping @Sendable (SocketEvent) async -> Void) {
        state.withLockedValue { $0.anyHandlers.append(.ordered(handler)) }
    }

    /// Packet middleware (`socket.use`): throwing stops the event and reaches the error handlers.
    public func use(_ middleware: @escaping @Sendable (SocketEvent) throws -> Void) {
        state.withLockedValue { $0.packetMiddleware.append(middleware) }
    }

    public func onError(_ handler: @escaping @Sendable (any Error) -> Void) {
        state.withLockedValue { $0.errorHandlers.append(handler) }
    }

    /// Before the socket leaves its rooms.
    public func onDisconnecting(_ handler: @escaping @Sendable (DisconnectReason) -> Void) {
        state.withLockedValue { $0.disconnectingHandlers.append(handler) }
    }

    public func onDisconnect(_ handler: @escaping @Sendable (DisconnectReason) -> Void) {
        state.withLockedValue { $0.disconnectHandlers.append(handler) }
    }

    // MARK: Emitting

    /// Emits an event to this client. Binary values anywhere in the arguments travel as attachments.
    public func emit(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) {
        let packet = SocketPacket.event(event, arguments, namespace: namespace.name)
        connection.send(packet, encoded: try SocketPacketEncoder.encode(packet), volatile: false)
    }

    /// Emits and drops the event if the transport cannot take it now.
    public func emitVolatile(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) {
        let packet = SocketPacket.event(event, arguments, namespace: namespace.name)
        connection.send(packet, encoded: try SocketPacketEncoder.encode(packet), volatile: true)
    }

    /// Emits and waits for the client's acknowledgement.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue] = [], timeout: Duration = .seconds(10)) async throws(AckError) -> [JSONValue] {
        let id = state.withLockedValue { s -> UInt64 in
            defer { s.nextAckID += 1 }
            return s.nextAckID
        }
        let packet = SocketPacket.event(event, arguments, namespace: namespace.name, id: id)
        let encoded: EncodedSocketPacket
        do { encoded = try SocketPacketEncoder.encode(packet) } catch { throw .invalidPacket(error) }
        let result: Result<[JSONValue], AckError> = await withCheckedContinuation { continuation in
            let waiter = AckWaiter(continuation)
            let alive = state.withLockedValue { s -> Bool in
                guard s.connected else { return false }
                s.acks[id] = waiter
                return true
            }
            guard alive else { return waiter.finish(.failure(.disconnected)) }
            namespace.server.trace?.record(.ackRequested(side: .server, namespace: namespace.name, socketID: self.id, id: id))
            connection.send(packet, encoded: encoded, volatile: false)
            let loop = connection.session.eventLoop
            loop.scheduleTask(in: TimeAmount(timeout)) {
                if let expired = self.state.withLockedValue({ $0.acks.removeValue(forKey: id) }) {
                    self.namespace.server.trace?.record(.ackTimedOut(side: .server, namespace: self.namespace.name, socketID: self.id, id: id))
                    expired.finish(.failure(.timedOut))
                }
            }
        }
        return try result.get()
    }

    /// Everyone in the namespace but this socket.
    public var broadcast: BroadcastOperator {
        BroadcastOperator(namespace: namespace, exceptRooms: [id])
    }

    /// Sockets in these rooms, this one excluded.
    public func to(_ rooms: String...) -> BroadcastOperator {
        BroadcastOperator(namespace: namespace, rooms: Set(rooms), exceptRooms: [id])
    }

    /// The same as `to`, as in socket.io.
    public func `in`(_ rooms: String...) -> BroadcastOperator {
        BroadcastOperator(namespace: namespace, rooms: Set(rooms), exceptRooms: [id])
    }

    public func except(_ rooms: String...) -> BroadcastOperator {
        BroadcastOperator(namespace: namespace, exceptRooms: Set(rooms).union([id]))
    }

    // MARK: Rooms

    public func join(_ rooms: String...) { join(Set(rooms)) }
    public func join(_ rooms: Set<String>) {
        guard let trace = namespace.server.trace else { return namespace.adapter.add(id, to: rooms) }
        let new = rooms.subtracting(namespace.adapter.rooms(of: id))
        namespace.adapter.add(id, to: rooms)
        for room in new.sorted() where room != id {
            trace.record(.roomJoined(namespace: namespace.name, socketID: id, room: room))
        }
    }

    public func leave(_ room: String) {
        guard let trace = namespace.server.trace, room != id else { return namespace.adapter.remove(id, from: room) }
        let member = namespace.adapter.rooms(of: id).contains(room)
        namespace.adapter.remove(id, from: room)
        if member { trace.record(.roomLeft(namespace: namespace.name, socketID: id, room: room)) }
    }

    // MARK: Leaving

    /// Leaves the namespace ("server namespace disconnect"); with `close`, ends the whole
    /// connection and every namespace on it ("forced server close").
    public func disconnect(close: Bool = false) {
        let loop = connection.session.eventLoop
        if loop.inEventLoop {
            disconnectOnLoop(close: close)
        } else {
            loop.execute { self.disconnectOnLoop(close: close) }
        }
    }

    private func disconnectOnLoop(close: Bool) {
        if close {
            connection.closeAll(reason: .forcedServerClose)
        } else if connected {
            connection.send(.disconnect(namespace: namespace.name))
            connection.remove(self, reason: .serverNamespaceDisconnect)
        }
    }

    // MARK: Called by the connection, on its loop

    func markConnected() {
        state.withLockedValue { $0.connected = true }
    }

    func sendAck(_ arguments: [JSONValue], id ackID: UInt64) {
        namespace.server.trace?.record(.ackAnswered(side: .server, namespace: namespace.name, socketID: id, id: ackID))
        connection.send(.ack(arguments, id: ackID, namespace: namespace.name))
    }

    func dispatch(_ packet: SocketPacket) {
        guard let name = packet.eventName else { return }
        let event = SocketEvent(name: name, arguments: packet.arguments, ack: packet.id.map { AckResponder(socket: self, ackID: $0) })
        let (middleware, any, handlers, errors) = state.withLockedValue { s in
            (s.packetMiddleware, s.anyHandlers, s.handlers[name] ?? [], s.errorHandlers)
        }
        do {
            for step in middleware { try step(event) }
        } catch {
            for handler in errors { handler(error) }
            return
        }
        for handler in any { handler.handle(event, lane: lane) }
        for handler in handlers { handler.handle(event, lane: lane) }
    }

    /// This socket's lane for `async` handlers, made on first use.
    private func lane() -> HandlerLane {
        state.withLockedValue { $0.lane.madeIfNeeded() }
    }

    func receiveAck(_ packet: SocketPacket) {
        guard let id = packet.id, let waiter = state.withLockedValue({ $0.acks.removeValue(forKey: id) }) else { return }
        waiter.finish(.success(packet.arguments))
    }

    /// Runs the leaving handlers and fails pending acks. The connection has already forgotten it.
    func didDisconnect(reason: DisconnectReason) {
        let (wasConnected, disconnecting, disconnect, acks) = state.withLockedValue { s in
            defer {
                s.connected = false
                s.acks = [:]
            }
            return (s.connected, s.disconnectingHandlers, s.disconnectHandlers, Array(s.acks.values))
        }
        defer { forgetHandlers() }
        guard wasConnected else { return }
        for handler in disconnecting { handler(reason) }
        namespace.remove(self)
        for waiter in acks { waiter.finish(.failure(.disconnected)) }
        namespace.server.trace?.record(.socketDisconnected(side: .server, namespace: namespace.name, socketID: id, reason: reason.rawValue))
        for handler in disconnect { handler(reason) }
    }

    /// Handlers usually capture their socket (`socket.on("x") { _ in socket.emit(...) }`): a cycle
    /// that would keep every socket that ever connected, with its handshake, alive. A socket that
    /// has left never runs a handler again, so they all go.
    private func forgetHandlers() {
        state.withLockedValue { s in
            s.handlers = [:]
            s.anyHandlers = []
            s.packetMiddleware = []
            s.errorHandlers = []
            s.disconnectingHandlers = []
            s.disconnectHandlers = []
            s.lane = nil   // what it holds still runs; nothing new comes
        }
    }
}

/// Resumes one `emitWithAck` exactly once.
final class AckWaiter: Sendable {
    private let continuation: NIOLockedValueBox<CheckedContinuation<Result<[JSONValue], AckError>, Never>?>

    init(_ continuation: CheckedContinuation<Result<[JSONValue], AckError>, Never>) {
        self.continuation = NIOLockedValueBox(continuation)
    }

    func finish(_ result: Result<[JSONValue], AckError>) {
        let c = continuation.withLockedValue { box -> CheckedContinuation<Result<[JSONValue], AckError>, Never>? in
            defer { box = nil }
            return box
        }
        c?.resume(returning: result)
    }
}
