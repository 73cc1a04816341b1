import SocketIOTrace
import WireJSON

/// What the cores look like right now: namespaces with their middleware, sockets on both sides.
/// The console's runtime reads it from the server and the simulated clients a few times a second;
/// packets and decisions arrive separately, as trace events.
public struct ConsoleSnapshot: Sendable, Hashable {
    public var namespaces: [NamespaceInfo]
    public var parents: [ParentInfo]
    public var sockets: [SocketInfo]

    public init(namespaces: [NamespaceInfo] = [], parents: [ParentInfo] = [], sockets: [SocketInfo] = []) {
        self.namespaces = namespaces
        self.parents = parents
        self.sockets = sockets
    }
}

/// A runtime override the console forced on a middleware: the server's own override type.
public typealias ForcedVerdict = MiddlewareOverride

public struct MiddlewareInfo: Sendable, Hashable {
    public var name: String
    public var forced: ForcedVerdict?
    public init(name: String, forced: ForcedVerdict? = nil) {
        self.name = name
        self.forced = forced
    }
}

public struct NamespaceInfo: Sendable, Hashable {
    public var name: String
    /// The label of the regex or predicate parent that created it, for dynamic namespaces.
    public var parent: String?
    public var socketCount: Int
    /// This namespace's own middleware (a child's parent middleware is listed on the parent).
    public var middleware: [MiddlewareInfo]

    public init(name: String, parent: String? = nil, socketCount: Int = 0, middleware: [MiddlewareInfo] = []) {
        self.name = name
        self.parent = parent
        self.socketCount = socketCount
        self.middleware = middleware
    }
}

/// A regex or predicate that creates child namespaces on demand.
public struct ParentInfo: Sendable, Hashable {
    public var label: String
    public var middleware: [MiddlewareInfo]
    public init(label: String, middleware: [MiddlewareInfo] = []) {
        self.label = label
        self.middleware = middleware
    }
}

public struct SocketInfo: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case connecting, connected, refused, disconnected
    }

    /// The Socket.IO socket id on the server side; the console's own name (`c1`) for a simulated client.
    public var id: String
    public var side: TraceSide
    public var namespace: String
    /// The Engine.IO session id.
    public var sid: String
    public var transport: TraceTransport
    public var rooms: [String]
    /// The CONNECT auth, as JSON text.
    public var auth: String
    public var connectedAt: Double
    public var state: State
    /// For a client: the server's socket id once connected, or why it was refused.
    public var note: String
    public var remoteAddress: String
    /// For a simulated client: its socket id on the server once connected.
    public var peerID: String

    public init(id: String, side: TraceSide, namespace: String, sid: String = "", transport: TraceTransport = .polling,
                rooms: [String] = [], auth: String = "", connectedAt: Double = 0, state: State = .connected,
                note: String = "", remoteAddress: String = "", peerID: String = "") {
        self.id = id
        self.side = side
        self.namespace = namespace
        self.sid = sid
        self.transport = transport
        self.rooms = rooms
        self.auth = auth
        self.connectedAt = connectedAt
        self.state = state
        self.note = note
        self.remoteAddress = remoteAddress
        self.peerID = peerID
    }

    /// How the sockets pane shows a CONNECT's auth: JSON text, nothing for none or `{}`, keys only
    /// when `redact`.
    public static func authText(_ auth: JSONObject?, redact: Bool = false) -> String {
        guard let auth, !auth.isEmpty else { return "" }
        return JSONValue.object(redact ? TraceEvent.redact(auth) : auth).jsonText
    }
}
