import EngineIOProtocol
import SocketIOProtocol

/// Which core saw the event.
public enum TraceSide: String, Sendable {
    case server
    case client
}

public enum TraceTransport: String, Sendable {
    case polling
    case websocket
}

public enum TraceDirection: String, Sendable {
    case inbound = "in"
    case outbound = "out"
}

/// Everything the console shows, as it happens. Server and client cores speak the same vocabulary,
/// with the side marked, so one conversation can be shown from both ends.
public enum TraceEvent: Sendable {
    /// An Engine.IO session opened (the handshake answered).
    case engineOpened(side: TraceSide, sid: String, transport: TraceTransport, remoteAddress: String?)
    case enginePacket(side: TraceSide, sid: String, direction: TraceDirection, transport: TraceTransport, packet: EnginePacket)
    /// The transport moved from polling to WebSocket.
    case engineUpgraded(side: TraceSide, sid: String)
    case engineClosed(side: TraceSide, sid: String, reason: String)
    /// A request refused before or outside a session (bad query, unknown sid, CORS, limits).
    case engineRefused(side: TraceSide, status: Int, code: Int?, message: String, remoteAddress: String?)

    /// A decoded Socket.IO packet (binary attachments restored), in or out.
    case socketPacket(side: TraceSide, sid: String, direction: TraceDirection, packet: SocketPacket)
    /// A namespace came to exist; `parent` names the regex or predicate that created a dynamic one.
    case namespaceCreated(name: String, parent: String?)
    case namespaceRemoved(name: String)
    /// A socket joined a namespace: with the transport it joined over, the CONNECT's auth and,
    /// on the server, the peer's address.
    case socketConnected(side: TraceSide, namespace: String, socketID: String, sid: String, transport: TraceTransport,
                         auth: JSONObject?, remoteAddress: String?)
    case socketDisconnected(side: TraceSide, namespace: String, socketID: String, reason: String)
    /// A server socket joined or left a room (its own room, named after its id, is not reported).
    case roomJoined(namespace: String, socketID: String, room: String)
    case roomLeft(namespace: String, socketID: String, room: String)
    /// One step of a namespace's middleware chain for one connection attempt.
    case middleware(MiddlewareDecision)
    /// A middleware was added to a namespace or a parent (`scope`: its name or the parent's label).
    case middlewareAdded(scope: String, middleware: String)
    /// A middleware's runtime override was set (nil: back to its own rule).
    case middlewareOverridden(scope: String, middleware: String, override: MiddlewareOverride?)
    case ackRequested(side: TraceSide, namespace: String, socketID: String, id: UInt64)
    case ackAnswered(side: TraceSide, namespace: String, socketID: String, id: UInt64)
    case ackTimedOut(side: TraceSide, namespace: String, socketID: String, id: UInt64)
}

/// What one middleware decided for one connection attempt.
public struct MiddlewareDecision: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case allow
        case reject(message: String, data: JSONValue?)
    }

    public var namespace: String
    /// The socket id the connection would get.
    public var socketID: String
    public var middleware: String
    public var verdict: Verdict
    /// True when the console (or code) forced this verdict instead of the middleware's own rule.
    public var forced: Bool
    public var durationSeconds: Double

    public init(namespace: String, socketID: String, middleware: String, verdict: Verdict, forced: Bool, durationSeconds: Double) {
        self.namespace = namespace
        self.socketID = socketID
        self.middleware = middleware
        self.verdict = verdict
        self.forced = forced
        self.durationSeconds = durationSeconds
    }
}

/// Where trace events go. Implementations must be cheap and must not block: they are called on
/// event-loop threads.
public protocol TraceSink: Sendable {
    func record(_ event: TraceEvent)
}

/// A sink that forwards to a closure.
public struct ClosureTraceSink: TraceSink {
    let body: @Sendable (TraceEvent) -> Void
    public init(_ body: @escaping @Sendable (TraceEvent) -> Void) { self.body = body }
    public func record(_ event: TraceEvent) { body(event) }
}

extension SocketPacket {
    /// The packet as its wire form names it: an EVENT or ACK sent with binary attachments goes out
    /// as BINARY_EVENT or BINARY_ACK, and the trace says so.
    public func asSent(attachments: Int) -> SocketPacket {
        guard attachments > 0 else { return self }
        var copy = self
        if type == .event { copy.type = .binaryEvent } else if type == .ack { copy.type = .binaryAck }
        return copy
    }
}
