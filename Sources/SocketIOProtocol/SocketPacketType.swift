import WireJSON

/// The seven Socket.IO v5 packet types: the first character of every Socket.IO packet.
public enum SocketPacketType: UInt8, Sendable, CaseIterable, CustomStringConvertible, DigitCoded {
    case connect = 0
    case disconnect = 1
    case event = 2
    case ack = 3
    case connectError = 4
    case binaryEvent = 5
    case binaryAck = 6


    /// The name the specification uses: CONNECT, BINARY_EVENT, ...
    public var description: String {
        switch self {
        case .connect: return "CONNECT"
        case .disconnect: return "DISCONNECT"
        case .event: return "EVENT"
        case .ack: return "ACK"
        case .connectError: return "CONNECT_ERROR"
        case .binaryEvent: return "BINARY_EVENT"
        case .binaryAck: return "BINARY_ACK"
        }
    }

    /// True for the types whose binary values travel as attachments after the text.
    public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }

    public var isEvent: Bool { self == .event || self == .binaryEvent }
    public var isAck: Bool { self == .ack || self == .binaryAck }

    /// What the packet is for, in one sentence a learner can read.
    public var meaning: String {
        switch self {
        case .connect:
            return "joins a namespace: from the client with optional auth data; from the server as acceptance with the socket id"
        case .disconnect: return "leaves a namespace (the Engine.IO connection may stay open for others)"
        case .event: return "an event: a name and its arguments"
        case .ack: return "the reply to an event that asked for an acknowledgement"
        case .connectError: return "the server refuses the namespace connection (middleware error or unknown namespace)"
        case .binaryEvent: return "an event whose arguments hold binary data, sent as attachments after this text"
        case .binaryAck: return "an acknowledgement whose arguments hold binary data, sent as attachments after this text"
        }
    }
}
