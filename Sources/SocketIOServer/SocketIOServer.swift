import EngineIOServer
import NIOConcurrencyHelpers
import SocketIOTrace

/// Settings of the Socket.IO layer; the Engine.IO ones live in `engine`.
public struct SocketIOServerConfiguration: Sendable {
    public var engine: EngineServerConfiguration
    /// Milliseconds a client has to send its first CONNECT before the connection is closed.
    public var connectTimeout: Int
    public var limits: SocketLimits
    public var makeAdapter: @Sendable () -> any SocketIOAdapter

    public init(engine: EngineServerConfiguration = .init(), connectTimeout: Int = 45_000, limits: SocketLimits = .init(),
                makeAdapter: @escaping @Sendable () -> any SocketIOAdapter = { InMemoryAdapter() }) {
        self.engine = engine
        self.connectTimeout = connectTimeout
        var limits = limits
        limits.maxPacketBytes = min(limits.maxPacketBytes, engine.maxHttpBufferSize)
        self.limits = limits
        self.makeAdapter = makeAdapter
    }
}

/// A Socket.IO server: namespaces with middleware, sockets, rooms and acks, over an Engine.IO
/// server. Serve `engine` with `EngineHTTPServer`, or use `start(host:port:)`.
///
/// ```swift
/// let io = SocketIOServer()
/// io.of("/admin").use("auth") { socket in
///     guard socket.handshake.auth["token"] == "secret" else { throw ConnectError("forbidden", data: ["reason": "no token"]) }
/// }
/// io.onConnection { socket in
///     socket.on("chat") { event in try? socket.broadcast.emit("chat", event.arguments) }
/// }
/// let http = try await io.start(port: 3000)
/// ```
public final class SocketIOServer: Sendable {
    public let configuration: SocketIOServerConfiguration
    let trace: (any TraceSink)?
    private let namespaces = NIOLockedValueBox<[String: Namespace]>([:])
    private let parents = NIOLockedValueBox<[ParentNamespace]>([])
    let owedAcks = OwedAcks()
    private let newNamespaceHandlers = NIOLockedValueBox<[@Sendable (Namespace) -> Void]>([])
    /// The Engine.IO server carrying this one.
    public let engine: EngineServer

    public init(configuration: SocketIOServerConfiguration = .init(), trace: (any TraceSink)? = nil) {
        self.configuration = configuration
        self.trace = trace
        let box = NIOLockedValueBox<SocketIOServer?>(nil)
        engine = EngineServer(configuration: configuration.engine, trace: trace) { session in
            guard let server = box.withLockedValue({ $0 }) else { return session.close() }
            let connection = ClientConnection(server: server, session: session)
            session.delegate = connection
            connection.start()
        }
        box.withLockedValue { $0 = self }
        _ = of("/")
    }

    /// Binds a listener for this server alone (more Engine.IO paths on one port: use
    /// `EngineHTTPServer`). `routes` answers the requests for other paths.
    public func start(host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil,
                      routes: HTTPRoutes? = nil) async throws -> EngineHTTPServer {
        try await EngineHTTPServer.start(host: host, port: port, servers: [engine], tls: tls, routes: routes)
    }

    /// Acks that handlers have not answered yet.
    public var unansweredAcks: Int { owedAcks.value }

    /// Shuts `http` down gracefully: no new connections, acks already owed answered and delivered
    /// (waiting at most `gracePeriod`), then every client is told "server shutting down".
    public func shutdown(_ http: EngineHTTPServer, gracePeriod: Duration = .seconds(5)) async {
        await http.shutdown(gracePeriod: gracePeriod) { [owedAcks] in owedAcks.value == 0 }
    }

    func makeAdapter() -> any SocketIOAdapter { configuration.makeAdapter() }

    // MARK: Namespaces

    /// The namespace with this name, created if it does not exist yet.
    @discardableResult
    public func of(_ name: String) -> Namespace {
        namespace(name.hasPrefix("/") ? name : "/" + name, parent: nil)
    }

    /// The namespace with this name, made (as a child of `parent`, if any) and announced if new.
    private func namespace(_ name: String, parent: ParentNamespace?) -> Namespace {
        let (namespace, created) = namespaces.withLockedValue { table -> (Namespace, Bool) in
            if let existing = table[name] { return (existing, false) }
            let made = Namespace(name: name, parent: parent, server: self)
            table[name] = made
            return (made, true)
        }
        if created { announce(namespace) }
        return namespace
    }

    /// Called for every namespace created from now on, static or dynamic (socket.io's "new_namespace").
    public func onNewNamespace(_ handler: @escaping @Sendable (Namespace) -> Void) {
        newNamespaceHandlers.withLockedValue { $0.append(handler) }
    }

    private func announce(_ namespace: Namespace) {
        trace?.record(.namespaceCreated(name: namespace.name, parent: namespace.parent?.label))
        for handler in newNamespaceHandlers.withLockedValue({ $0 }) { handler(namespace) }
    }

    /// A parent whose children are the namespaces whose whole name matches `pattern`.
    public func of(regex pattern: String, removeEmptyChildren: Bool = false) throws -> ParentNamespace {
        let parent = try ParentNamespace(matcher: .regex(pattern), label: "/\(pattern)/", removesEmptyChildren: removeEmptyChildren,
                                         trace: trace)
        parents.withLockedValue { $0.append(parent) }
        return parent
    }

    /// A parent whose children are the namespaces `predicate` accepts (given the name and the auth).
    public func of(removeEmptyChildren: Bool = false,
                   matching predicate: @escaping @Sendable (_ name: String, _ auth: JSONObject) async -> Bool) -> ParentNamespace {
        let label = "predicate #\(parents.withLockedValue { $0.count } + 1)"
        let parent = try! ParentNamespace(matcher: .predicate(predicate), label: label, removesEmptyChildren: removeEmptyChildren,
                                          trace: trace)
        parents.withLockedValue { $0.append(parent) }
        return parent
    }

    /// The main namespace's middleware: `io.use` is `io.of("/").use`, as in socket.io.
    public func use(_ name: String, _ run: @escaping @Sendable (ServerSocket) async throws -> Void) {
        of("/").use(name, run)
    }

    public func onConnection(_ handler: @escaping @Sendable (ServerSocket) -> Void) {
        of("/").onConnection(handler)
    }

    /// Emits to every socket of the main namespace.
    @discardableResult
    public func emit(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) -> Int {
        try of("/").emit(event, arguments)
    }

    // The main namespace's broadcasting and bulk operations, as socket.io's `io.to(...)` and friends.
    public func to(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: of("/"), rooms: Set(rooms)) }
    public func `in`(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: of("/"), rooms: Set(rooms)) }
    public func except(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: of("/"), exceptRooms: Set(rooms)) }
    public var volatile: BroadcastOperator { of("/").volatile }
    public func fetchSockets() -> [ServerSocket] { of("/").fetchSockets() }
    public func socketsJoin(_ rooms: String...) { of("/").everyone.socketsJoin(rooms) }
    public func socketsLeave(_ rooms: String...) { of("/").everyone.socketsLeave(rooms) }
    public func disconnectSockets(close: Bool = false) { of("/").disconnectSockets(close: close) }

    public var namespaceNames: [String] { namespaces.withLockedValue { Array($0.keys) }.sorted() }
    public var parentNamespaces: [ParentNamespace] { parents.withLockedValue { $0 } }

    public func namespace(named name: String) -> Namespace? { namespaces.withLockedValue { $0[name] } }

    /// The namespace a CONNECT names: an existing one, or a new child of the first parent that matches.
    func resolveNamespace(_ name: String, auth: JSONObject) async -> Namespace? {
        if let existing = namespace(named: name) { return existing }
        for parent in parents.withLockedValue({ $0 }) where await parent.matches(name, auth: auth) {
            return namespace(name, parent: parent)
        }
        return nil
    }

    func removeNamespace(_ namespace: Namespace) {
        let removed = namespaces.withLockedValue { table -> Bool in
            guard table[namespace.name] === namespace, namespace.socketCount == 0 else { return false }
            table[namespace.name] = nil
            return true
        }
        if removed { trace?.record(.namespaceRemoved(name: namespace.name)) }
    }

    /// Closes every connection ("server shutting down").
    public func close() {
        engine.closeAll(reason: .serverShuttingDown)
    }
}
