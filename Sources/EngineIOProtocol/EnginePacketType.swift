import WireJSON

/// The seven Engine.IO v4 packet types: the digit that starts every text packet.
public enum EnginePacketType: UInt8, Sendable, CaseIterable, CustomStringConvertible, DigitCoded {
    case open = 0
    case close = 1
    case ping = 2
    case pong = 3
    case message = 4
    case upgrade = 5
    case noop = 6


    public var description: String {
        switch self {
        case .open: return "open"
        case .close: return "close"
        case .ping: return "ping"
        case .pong: return "pong"
        case .message: return "message"
        case .upgrade: return "upgrade"
        case .noop: return "noop"
        }
    }

    /// What the packet is for, in one sentence a learner can read.
    public var meaning: String {
        switch self {
        case .open: return "handshake: the server opens the session and sends its parameters as JSON"
        case .close: return "asks the other side to close the transport"
        case .ping: return "heartbeat: the server checks the client is alive (\"probe\" tests a new WebSocket during upgrade)"
        case .pong: return "heartbeat reply to a ping (\"probe\" confirms the WebSocket during upgrade)"
        case .message: return "carries application data (with Socket.IO: one Socket.IO packet)"
        case .upgrade: return "the client completes the switch from polling to WebSocket"
        case .noop: return "no operation: releases a pending long-poll during upgrade"
        }
    }
}
