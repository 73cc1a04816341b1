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
        let (opcode, length) = shape(of: packet)
        var buffer = allocator.buffer(capacity: length)
        writePayload(of: packet, into: &buffer)
        return WebSocketFrame(fin: true, opcode: opcode, maskKey: maskKey, data: buffer)
    }

    /// The whole frame for a packet as it goes on the wire (RFC 6455 5.2: header, masking key,
    /// payload, masked when a key is given), in one buffer. Written past NIO's frame encoder, it
    /// saves the encoder's work per frame: a frame value boxed on its way down the pipeline, a
    /// separate write of the header, and for a client a copy of the payload to mask it.
    public static func wireFrame(for packet: EnginePacket, allocator: ByteBufferAllocator,
                                 maskKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        let (opcode, length) = shape(of: packet)
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
        writePayload(of: packet, into: &buffer)
        if let maskKey {
            // The buffer is ours alone here, so it is masked in place, without a copy.
            buffer.withUnsafeMutableReadableBytes { raw in
                applyMask(maskKey, to: UnsafeMutableRawBufferPointer(rebasing: raw[payloadStart...]))
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
                    UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
                    initialized = raw.count
                    if let key = frame.maskKey { applyMask(key, to: UnsafeMutableRawBufferPointer(out)) }
                }
            }
            return try EngineCodec.decode(binaryFrame: bytes, limits: limits)
        }
        let decoded: Result<EnginePacket, EngineDecodeError>
        if let key = frame.maskKey {
            // Unmasked into scratch space (on the stack when small), decoded from there.
            decoded = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch in
                frame.data.withUnsafeReadableBytes { raw in UnsafeMutableRawBufferPointer(scratch).copyMemory(from: raw) }
                applyMask(key, to: UnsafeMutableRawBufferPointer(scratch))
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

    /// The opcode of a packet's frame and the length of its payload.
    private static func shape(of packet: EnginePacket) -> (WebSocketOpcode, Int) {
        switch packet.data {
        case .binary(let bytes): return (.binary, bytes.count)
        case .text(let text): return (.text, 1 + text.utf8.count)
        case nil: return (.text, 1)
        }
    }

    /// Text packets as `<digit><data>`, binary data as raw bytes.
    private static func writePayload(of packet: EnginePacket, into buffer: inout ByteBuffer) {
        switch packet.data {
        case .binary(let bytes): buffer.writeBytes(bytes)
        case .text(let text):
            buffer.writeInteger(packet.type.digit)
            buffer.writeString(text)
        case nil: buffer.writeInteger(packet.type.digit)
        }
    }

    /// RFC 6455 5.3, in place: each byte XORed with the key byte at its position modulo 4.
    /// Masking and unmasking are the same operation.
    private static func applyMask(_ key: WebSocketMaskingKey, to bytes: UnsafeMutableRawBufferPointer) {
        let k = (key[0], key[1], key[2], key[3])
        var i = 0
        while i < bytes.count {
            switch i & 3 {
            case 0: bytes[i] ^= k.0
            case 1: bytes[i] ^= k.1
            case 2: bytes[i] ^= k.2
            default: bytes[i] ^= k.3
            }
            i += 1
        }
    }
}
