import NIOConcurrencyHelpers
import SocketIOTrace

/// A namespace: its sockets, middleware, connection handlers and rooms. socket.io's `io.of(name)`.
/// Safe to use from any thread.
public final class Namespace: Sendable {
    public let name: String
    /// The regex or predicate parent that created this namespace, for dynamic ones.
    public let parent: ParentNamespace?
    public let adapter: any SocketIOAdapter
    /// The server this namespace belongs to (socket.io's `namespace.server`).
    public let server: SocketIOServer

    private struct State {
        var sockets: [String: ServerSocket] = [:]
        var middleware: [Middleware] = []
        var overrides: [String: MiddlewareOverride] = [:]
        var connectionHandlers: [@Sendable (ServerSocket) -> Void] = []
    }
    private let state = NIOLockedValueBox(State())

    init(name: String, parent: ParentNamespace?, server: SocketIOServer) {
        self.name = name
        self.parent = parent
        self.server = server
        self.adapter = server.makeAdapter()
    }

    // MARK: Middleware

    /// Adds a named middleware; it runs for every connection attempt, after those added before it.
    public func use(_ name: String, _ run: @escaping @Sendable (ServerSocket) async throws -> Void) {
        use(Middleware(name, run))
    }

    public func use(_ middleware: Middleware) {
        state.withLockedValue { $0.middleware.append(middleware) }
        server.trace?.record(.middlewareAdded(scope: name, middleware: middleware.name))
    }

    /// The chain a connection attempt goes through: a parent's middleware first, then this namespace's.
    public var middleware: [Middleware] {
        (parent?.middleware ?? []) + state.withLockedValue { $0.middleware }
    }

    /// Overrides one middleware at runtime (nil restores its own rule).
    public func setOverride(_ override: MiddlewareOverride?, for middleware: String) {
        state.withLockedValue { $0.overrides[middleware] = override }
        server.trace?.record(.middlewareOverridden(scope: name, middleware: middleware, override: override))
    }

    public var overrides: [String: MiddlewareOverride] {
        (parent?.overrides ?? [:]).merging(state.withLockedValue { $0.overrides }) { _, own in own }
    }

    func runMiddleware(for socket: ServerSocket) async -> MiddlewareVerdict {
        await MiddlewareChain.run(middleware, overrides: overrides, socket: socket, trace: server.trace)
    }

    /// The chain's verdict at once when none of its steps has to wait; nil otherwise.
    func decideMiddlewareNow(for socket: ServerSocket) -> MiddlewareVerdict? {
        MiddlewareChain.decideNow(middleware, overrides: overrides, socket: socket, trace: server.trace)
    }

    // MARK: Connections

    /// Called for every socket that passed the middleware, on its connection's event loop.
    public func onConnection(_ handler: @escaping @Sendable (ServerSocket) -> Void) {
        state.withLockedValue { $0.connectionHandlers.append(handler) }
    }

    var connectionHandlers: [@Sendable (ServerSocket) -> Void] {
        (parent?.connectionHandlers ?? []) + state.withLockedValue { $0.connectionHandlers }
    }

    func add(_ socket: ServerSocket) {
        state.withLockedValue { $0.sockets[socket.id] = socket }
        adapter.add(socket.id, to: [socket.id])
    }

    func remove(_ socket: ServerSocket) {
        let empty = state.withLockedValue { s -> Bool in
            s.sockets[socket.id] = nil
            return s.sockets.isEmpty
        }
        adapter.removeAll(socket.id)
        if empty, let parent, parent.removesEmptyChildren { server.removeNamespace(self) }
    }

    public var sockets: [ServerSocket] { state.withLockedValue { Array($0.sockets.values) } }
    public var socketCount: Int { state.withLockedValue { $0.sockets.count } }

    public func socket(id: String) -> ServerSocket? { state.withLockedValue { $0.sockets[id] } }

    func sockets(ids: Set<String>) -> [ServerSocket] {
        state.withLockedValue { s in ids.compactMap { s.sockets[$0] } }
    }

    // MARK: Broadcasting

    var everyone: BroadcastOperator { BroadcastOperator(namespace: self) }

    /// Emits to every socket of the namespace.
    @discardableResult
    public func emit(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) -> Int {
        try everyone.emit(event, arguments)
    }

    public func to(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: self, rooms: Set(rooms)) }
    public func `in`(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: self, rooms: Set(rooms)) }
    public func except(_ rooms: String...) -> BroadcastOperator { BroadcastOperator(namespace: self, exceptRooms: Set(rooms)) }
    public var volatile: BroadcastOperator { everyone.volatile }

    public func fetchSockets() -> [ServerSocket] { sockets }
    public func socketsJoin(_ rooms: String...) { everyone.socketsJoin(rooms) }
    public func socketsLeave(_ rooms: String...) { everyone.socketsLeave(rooms) }
    public func disconnectSockets(close: Bool = false) { everyone.disconnectSockets(close: close) }
}

/// A namespace pattern that creates child namespaces on the first matching CONNECT: socket.io's
/// `io.of(/regex/)` and `io.of((name, auth, next) => ...)`. Its middleware and connection handlers
/// apply to every child.
public final class ParentNamespace: Sendable {
    public enum Matcher: Sendable {
        /// Matched against the whole namespace name.
        case regex(String)
        case predicate(@Sendable (_ name: String, _ auth: JSONObject) async -> Bool)
    }

    public let matcher: Matcher
    /// A label for traces and the console: the regex, or "predicate #n".
    public let label: String
    /// Remove children when their last socket leaves (socket.io's cleanupEmptyChildNamespaces).
    public let removesEmptyChildren: Bool
    private let compiled: RegexBox?
    /// Where changes to the middleware are reported (the server's trace).
    private let trace: (any TraceSink)?

    private struct State {
        var middleware: [Middleware] = []
        var overrides: [String: MiddlewareOverride] = [:]
        var connectionHandlers: [@Sendable (ServerSocket) -> Void] = []
    }
    private let state = NIOLockedValueBox(State())

    init(matcher: Matcher, label: String, removesEmptyChildren: Bool, trace: (any TraceSink)?) throws {
        self.matcher = matcher
        self.trace = trace
        self.label = label
        self.removesEmptyChildren = removesEmptyChildren
        if case .regex(let pattern) = matcher {
            compiled = RegexBox(try Regex(pattern))
        } else {
            compiled = nil
        }
    }

    public func use(_ name: String, _ run: @escaping @Sendable (ServerSocket) async throws -> Void) {
        use(Middleware(name, run))
    }

    public func use(_ middleware: Middleware) {
        state.withLockedValue { $0.middleware.append(middleware) }
        trace?.record(.middlewareAdded(scope: label, middleware: middleware.name))
    }

    public func onConnection(_ handler: @escaping @Sendable (ServerSocket) -> Void) {
        state.withLockedValue { $0.connectionHandlers.append(handler) }
    }

    public func setOverride(_ override: MiddlewareOverride?, for middleware: String) {
        state.withLockedValue { $0.overrides[middleware] = override }
        trace?.record(.middlewareOverridden(scope: label, middleware: middleware, override: override))
    }

    public var middleware: [Middleware] { state.withLockedValue { $0.middleware } }
    public var overrides: [String: MiddlewareOverride] { state.withLockedValue { $0.overrides } }
    var connectionHandlers: [@Sendable (ServerSocket) -> Void] { state.withLockedValue { $0.connectionHandlers } }

    func matches(_ name: String, auth: JSONObject) async -> Bool {
        switch matcher {
        case .regex: return compiled?.wholeMatches(name) ?? false
        case .predicate(let predicate): return await predicate(name, auth)
        }
    }
}

/// `Regex` is not Sendable; matching is read-only, so sharing one compiled value is safe.
final class RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
    func wholeMatches(_ s: String) -> Bool { (try? regex.wholeMatch(in: s)) != nil }
}
