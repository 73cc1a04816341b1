import EngineIOProtocol
import SocketIOProtocol

/// What a row of the packets pane is: an Engine.IO packet, a Socket.IO packet, or a lifecycle
/// moment (a session opened, a socket connected). Compared as a value; `label` is what is shown
/// and what `type:` filters match.
public enum PacketKind: Hashable, Sendable {
    case engine(EnginePacketType)
    case socket(SocketPacketType)
    case lifecycle(Lifecycle)

    public enum Lifecycle: String, Hashable, Sendable, CaseIterable {
        case open, upgraded, closed, refused, connected, disconnected, namespace
        case ackTimeout = "ack-timeout"
    }

    public var label: String {
        switch self {
        case .engine(let type): return type.description
        case .socket(let type): return type.description
        case .lifecycle(let moment): return moment.rawValue
        }
    }

    /// An EVENT or BINARY_EVENT.
    public var isEvent: Bool { self == .socket(.event) || self == .socket(.binaryEvent) }
    /// An ACK or BINARY_ACK.
    public var isAck: Bool { self == .socket(.ack) || self == .socket(.binaryAck) }
}
