import EngineIOProtocol
import NIOCore
import NIOWebSocket

/// Engine.IO packets in WebSocket frames, one packet per frame, with as few copies as the bytes
/// allow: a packet is written straight into the frame's buffer (not first into a joined string),
/// and a frame is read into the packet's string without an unmasked copy and a byte array between.
public enum EngineFrames {
    /// The frame for a packet: text packets as `<digit><data>`, binary data as raw bytes.
    public static func frame(for packet: EnginePacket, allocator: ByteBufferAllocator,
                             maskKey: WebSocketMaskingKey? = nil) -> WebSocketFrame {
        var buffer: ByteBuffer
        let opcode: WebSocketOpcode
        switch packet.data {
        case .binary(let bytes):
            buffer = allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            opcode = .binary
        case .text(let text):
            buffer = allocator.buffer(capacity: 1 + text.utf8.count)
            buffer.writeInteger(packet.type.digit)
            buffer.writeString(text)
            opcode = .text
        case nil:
            buffer = allocator.buffer(capacity: 1)
            buffer.writeInteger(packet.type.digit)
            opcode = .text
        }
        return WebSocketFrame(fin: true, opcode: opcode, maskKey: maskKey, data: buffer)
    }

    /// The whole frame for a packet as it goes on the wire (RFC 6455 5.2: header, masking key,
    /// payload, masked when a key is given), in one buffer. Written past NIO's frame encoder, it
    /// saves the encoder's work per frame: a frame value boxed on its way down the pipeline, a
    /// separate write of the header, and for a client a copy of the payload to mask it.
    public static func wireFrame(for packet: EnginePacket, allocator: ByteBufferAllocator,
                                 maskKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        let opcode: WebSocketOpcode
        let length: Int
        switch packet.data {
        case .binary(let bytes): (opcode, length) = (.binary, bytes.count)
        case .text(let text): (opcode, length) = (.text, 1 + text.utf8.count)
        case nil: (opcode, length) = (.text, 1)
        }
        let lengthBytes = length > 65_535 ? 8 : (length > 125 ? 2 : 0)
        var buffer = allocator.buffer(capacity: 2 + lengthBytes + (maskKey == nil ? 0 : 4) + length)
        buffer.writeInteger(0x80 | UInt8(webSocketOpcode: opcode))   // FIN, no RSV bits
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        switch lengthBytes {
        case 0: buffer.writeInteger(maskBit | UInt8(length))
        case 2: buffer.writeMultipleIntegers(maskBit | 126, UInt16(length))
        default: buffer.writeMultipleIntegers(maskBit | 127, UInt64(length))
        }
        if let maskKey { buffer.writeBytes(maskKey) }
        let payloadStart = buffer.writerIndex
        switch packet.data {
        case .binary(let bytes): buffer.writeBytes(bytes)
        case .text(let text):
            buffer.writeInteger(packet.type.digit)
            buffer.writeString(text)
        case nil: buffer.writeInteger(packet.type.digit)
        }
        if let maskKey {
            // The buffer is ours alone here, so it is masked in place, without a copy.
            let k = (maskKey[0], maskKey[1], maskKey[2], maskKey[3])
            buffer.withUnsafeMutableReadableBytes { raw in
                var i = 0
                while i < length {
                    switch i & 3 {
                    case 0: raw[payloadStart + i] ^= k.0
                    case 1: raw[payloadStart + i] ^= k.1
                    case 2: raw[payloadStart + i] ^= k.2
                    default: raw[payloadStart + i] ^= k.3
                    }
                    i += 1
                }
            }
        }
        return buffer
    }

    /// The packet a text or binary frame carries. The frame is unmasked on the way (a client's
    /// frames are masked); a text frame must be valid UTF-8 and a known packet type.
    public static func packet(from frame: WebSocketFrame, limits: EngineLimits) throws(EngineDecodeError) -> EnginePacket {
        let count = frame.data.readableBytes
        if count > limits.maxPayloadBytes {
            throw EngineDecodeError(.tooLarge(size: count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
        }
        if frame.opcode == .binary {
            let bytes = frame.data.withUnsafeReadableBytes { raw in
                [UInt8](unsafeUninitializedCapacity: raw.count) { out, initialized in
                    unmask(raw, frame.maskKey, into: out)
                    initialized = raw.count
                }
            }
            return try EngineCodec.decode(binaryFrame: bytes, limits: limits)
        }
        let decoded: Result<EnginePacket, EngineDecodeError>
        if let key = frame.maskKey {
            // Unmasked into scratch space (on the stack when small), decoded from there.
            decoded = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch in
                frame.data.withUnsafeReadableBytes { raw in unmask(raw, key, into: scratch) }
                return Result { () throws(EngineDecodeError) -> EnginePacket in
                    try EngineCodec.decode(textBytes: UnsafeBufferPointer(scratch), limits: limits)
                }
            }
        } else {
            decoded = frame.data.withUnsafeReadableBytes { raw in
                Result { () throws(EngineDecodeError) -> EnginePacket in
                    try EngineCodec.decode(textBytes: raw.assumingMemoryBound(to: UInt8.self), limits: limits)
                }
            }
        }
        return try decoded.get()
    }

    /// RFC 6455 5.3: each byte XORed with the key byte at its position modulo 4.
    private static func unmask(_ source: UnsafeRawBufferPointer, _ key: WebSocketMaskingKey?, into out: UnsafeMutableBufferPointer<UInt8>) {
        guard let key else {
            _ = out.initialize(from: source)
            return
        }
        let k = (key[0], key[1], key[2], key[3])
        var i = 0
        while i < source.count {
            switch i & 3 {
            case 0: out[i] = source[i] ^ k.0
            case 1: out[i] = source[i] ^ k.1
            case 2: out[i] = source[i] ^ k.2
            default: out[i] = source[i] ^ k.3
            }
            i += 1
        }
    }
}
