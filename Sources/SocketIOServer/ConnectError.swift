/// Thrown by a middleware to refuse a connection: the client's `connect_error` handler receives
/// an Error with this message and `data` (socket.io's `next(err)` with `err.data`).
public struct ConnectError: Error, Sendable, Hashable {
    public var message: String
    public var data: JSONValue?

    public init(_ message: String, data: JSONValue? = nil) {
        self.message = message
        self.data = data
    }
}

/// Why a socket left its namespace, with socket.io's reason strings.
public enum DisconnectReason: String, Sendable {
    case serverNamespaceDisconnect = "server namespace disconnect"
    case clientNamespaceDisconnect = "client namespace disconnect"
    case serverShuttingDown = "server shutting down"
    case pingTimeout = "ping timeout"
    case transportClose = "transport close"
    case transportError = "transport error"
    case parseError = "parse error"
    case forcedClose = "forced close"
    case forcedServerClose = "forced server close"
    case outboundBufferFull = "outbound buffer full"

    init(_ engine: EngineCloseReason) {
        switch engine {
        case .transportClose: self = .transportClose
        case .transportError: self = .transportError
        case .pingTimeout: self = .pingTimeout
        case .parseError: self = .parseError
        case .forcedClose: self = .forcedClose
        case .serverShuttingDown: self = .serverShuttingDown
        case .outboundBufferFull: self = .outboundBufferFull
        }
    }
}

/// Why an emit with acknowledgement did not get its answer.
public enum AckError: Error, Sendable, Hashable {
    case timedOut
    case disconnected
    case invalidPacket(SocketEncodeError)
}

extension AckError: CustomStringConvertible {
    /// socket.io's wording where it has one ("operation has timed out").
    public var description: String {
        switch self {
        case .timedOut: return "operation has timed out"
        case .disconnected: return "the socket disconnected before the answer"
        case .invalidPacket(let error): return "cannot encode the emit: \(error)"
        }
    }
}
