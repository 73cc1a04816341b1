/// The data an Engine.IO packet may carry. Binary data only travels in `message` packets.
public enum EngineData: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
}

/// One Engine.IO packet: a type and optional data.
public struct EnginePacket: Sendable, Hashable {
    public var type: EnginePacketType
    public var data: EngineData?

    public init(_ type: EnginePacketType, _ data: EngineData? = nil) {
        self.type = type
        self.data = data
    }

    public static func message(_ text: String) -> EnginePacket { EnginePacket(.message, .text(text)) }
    public static func binary(_ bytes: [UInt8]) -> EnginePacket { EnginePacket(.message, .binary(bytes)) }
    public static func open(_ handshake: EngineHandshake) -> EnginePacket {
        EnginePacket(.open, .text(handshake.jsonText))
    }
    public static let ping = EnginePacket(.ping)
    public static let pong = EnginePacket(.pong)
    public static let probePing = EnginePacket(.ping, .text("probe"))
    public static let probePong = EnginePacket(.pong, .text("probe"))
    public static let close = EnginePacket(.close)
    public static let upgrade = EnginePacket(.upgrade)
    public static let noop = EnginePacket(.noop)

    /// The text data, if the packet carries text.
    public var text: String? {
        if case .text(let t) = data { return t }
        return nil
    }

    public var isBinary: Bool {
        if case .binary = data { return true }
        return false
    }
}

/// One WebSocket frame as Engine.IO uses it: one packet per frame; a binary frame is always a message.
public enum EngineFrame: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
}
