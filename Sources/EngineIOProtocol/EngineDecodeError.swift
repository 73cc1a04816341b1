import WireJSON

/// Why Engine.IO input was refused, and the byte offset (from the start of the frame or body) where.
public struct EngineDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A packet with no type digit: an empty frame, body, or payload element.
        case emptyPacket
        case unknownPacketType(UInt8)
        case invalidUTF8
        case invalidBase64(Base64.DecodeError.Kind)
        /// The frame or body is larger than the configured limit (maxHttpBufferSize / maxPayload).
        case tooLarge(size: Int, limit: Int)
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }

    /// The reason without the position.
    public var message: String {
        let what: String
        switch kind {
        case .emptyPacket: what = "empty Engine.IO packet (a packet starts with a type digit 0-6)"
        case .unknownPacketType(let b):
            what = "unknown Engine.IO packet type \(describeByte(b)) (expected a digit 0-6, or 'b' for base64 binary)"
        case .invalidUTF8: what = "invalid UTF-8 in an Engine.IO text packet"
        case .invalidBase64(let kind):
            switch kind {
            case .invalidByte(let b): what = "invalid base64: \(describeByte(b)) is not in the base64 alphabet"
            case .truncated: what = "invalid base64: the length is not a whole number of 4-character groups"
            case .nonZeroPaddingBits: what = "invalid base64: non-canonical final character"
            }
        case .tooLarge(let size, let limit): what = "Engine.IO input of \(size) bytes exceeds the limit of \(limit) bytes"
        }
        return what
    }
}

/// Settings for decoding what a peer sends.
public struct EngineLimits: Sendable, Hashable {
    /// The largest WebSocket frame or polling body accepted (socket.io's maxHttpBufferSize, 1 MB).
    public var maxPayloadBytes: Int

    public init(maxPayloadBytes: Int = 1_000_000) {
        self.maxPayloadBytes = maxPayloadBytes
    }
}
