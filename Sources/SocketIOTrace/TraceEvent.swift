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
