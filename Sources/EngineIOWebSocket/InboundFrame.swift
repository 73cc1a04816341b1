import NIOCore
import NIOWebSocket

/// A WebSocket frame as `WebSocketFrameReader` hands it over: a whole message (fragments already
/// joined) or a control frame. The payload stays masked when the peer masked it: whoever reads it
/// unmasks it once, into the place it is going anyway.
public struct InboundFrame: Sendable {
    public var opcode: WebSocketOpcode
    public var payload: ByteBuffer
    /// The masking key's four bytes as they came on the wire, the first in the highest bits.
    public var mask: UInt32?

    public init(opcode: WebSocketOpcode, payload: ByteBuffer, mask: UInt32? = nil) {
        self.opcode = opcode
        self.payload = payload
        self.mask = mask
    }

    /// The payload as the peer meant it (a copy only when it was masked).
    public var unmaskedPayload: ByteBuffer {
        guard let mask else { return payload }
        var copy = ByteBuffer(bytes: payload.readableBytesView)
        copy.withUnsafeMutableReadableBytes { EngineFrames.applyMask(mask, to: $0) }
        return copy
    }
}

/// Why a byte stream is not an acceptable sequence of WebSocket frames. The connection ends with
/// a close frame carrying `closeCode` (RFC 6455 7.4.1).
public struct WebSocketFrameError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// RSV bits, an unknown opcode, masking the wrong way, a broken fragment sequence or a
        /// malformed control frame (1002).
        case protocolError
        /// A frame or a message longer than the limit (1009).
        case tooBig
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    public var closeCode: WebSocketErrorCode {
        kind == .tooBig ? .messageTooLarge : .protocolError
    }
}
