import EngineIOProtocol
import NIOCore
import NIOWebSocket

/// Engine.IO packets in WebSocket frames, one packet per frame, with as few copies as the bytes
/// allow: a packet is written straight into the frame's buffer (not first into a joined string),
/// and a frame is read into the packet's string without an unmasked copy and a byte array between.
/// Frames leave as wire bytes and arrive through `WebSocketFrameReader`: NIO's frame types and
/// codec handlers are not in the connection's pipeline.
public enum EngineFrames {
    /// The whole frame for a packet as it goes on the wire (RFC 6455 5.2: header, masking key,
    /// payload, masked when a key is given), in one buffer: one write of one buffer per packet, and
    /// a client's payload masked in place rather than copied to be masked.
    public static func wireFrame(for packet: EnginePacket, allocator: ByteBufferAllocator,
                                 maskKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: wireSize(of: packet, masked: maskKey != nil))
        writeWireFrame(for: packet, maskKey: maskKey, into: &buffer)
        return buffer
    }

    /// The same frame, appended to `buffer` (frames waiting for the next flush share one buffer).
    public static func writeWireFrame(for packet: EnginePacket, maskKey: WebSocketMaskingKey? = nil, into buffer: inout ByteBuffer) {
        let (opcode, length) = shape(of: packet)
        writeFrame(opcode: opcode, length: length, maskKey: maskKey, into: &buffer) { writePayload(of: packet, into: &$0) }
    }

    /// How many bytes a packet's frame takes on the wire.
    public static func wireSize(of packet: EnginePacket, masked: Bool) -> Int {
        let length = shape(of: packet).1
        return headerSize(length: length, masked: masked) + length
    }

    /// A control frame (ping, pong, close) on the wire, its payload masked when a key is given.
    public static func controlFrame(_ opcode: WebSocketOpcode, payload: ByteBuffer, allocator: ByteBufferAllocator,
                                    maskKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        var payload = payload
        let length = payload.readableBytes
        var buffer = allocator.buffer(capacity: headerSize(length: length, masked: maskKey != nil) + length)
        writeFrame(opcode: opcode, length: length, maskKey: maskKey, into: &buffer) { $0.writeBuffer(&payload) }
        return buffer
    }

    /// A close frame carrying `code` (RFC 6455 5.5.1).
    public static func closeFrame(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator,
                                  maskKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        var payload = allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        return controlFrame(.connectionClose, payload: payload, allocator: allocator, maskKey: maskKey)
    }

    private static func headerSize(length: Int, masked: Bool) -> Int {
        2 + (length > 65_535 ? 8 : (length > 125 ? 2 : 0)) + (masked ? 4 : 0)
    }

    /// Header, then the payload `writePayload` appends (`length` bytes), masked in place when a key is given.
    private static func writeFrame(opcode: WebSocketOpcode, length: Int, maskKey: WebSocketMaskingKey?, into buffer: inout ByteBuffer,
                                   writePayload: (inout ByteBuffer) -> Void) {
        writeHeader(opcode: opcode, length: length, maskKey: maskKey, into: &buffer)
        let payloadStart = buffer.writerIndex
        writePayload(&buffer)
        if let maskKey { mask(&buffer, from: payloadStart, with: maskKey) }
    }

    /// At most three integer writes: FIN and opcode with the length byte, the extended length, the key.
    private static func writeHeader(opcode: WebSocketOpcode, length: Int, maskKey: WebSocketMaskingKey?, into buffer: inout ByteBuffer) {
        let first = UInt16(0x80 | UInt8(webSocketOpcode: opcode)) << 8   // FIN, no RSV bits
        let maskBit: UInt16 = maskKey == nil ? 0 : 0x80
        if length > 65_535 {
            buffer.writeInteger(first | maskBit | 127)
            buffer.writeInteger(UInt64(length))
        } else if length > 125 {
            buffer.writeInteger(UInt32(first | maskBit | 126) << 16 | UInt32(length))
        } else {
            buffer.writeInteger(first | maskBit | UInt16(length))
        }
        if let key = maskKey {
            buffer.writeInteger(UInt32(key[0]) << 24 | UInt32(key[1]) << 16 | UInt32(key[2]) << 8 | UInt32(key[3]))
        }
    }

    /// The buffer is ours alone here, so it is masked in place, without a copy.
    private static func mask(_ buffer: inout ByteBuffer, from start: Int, with key: WebSocketMaskingKey) {
        let offset = start - buffer.readerIndex
        buffer.withUnsafeMutableReadableBytes { raw in
            applyMask((key[0], key[1], key[2], key[3]), to: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
        }
    }

    /// The packet a text or binary frame carries. The payload is unmasked on the way (a client's
    /// frames are masked); a text frame must be valid UTF-8 and a known packet type.
    public static func packet(from frame: InboundFrame, limits: EngineLimits) throws(EngineDecodeError) -> EnginePacket {
        let count = frame.payload.readableBytes
        if count > limits.maxPayloadBytes {
            throw EngineDecodeError(.tooLarge(size: count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
        }
        if frame.opcode == .binary {
            let bytes = frame.payload.withUnsafeReadableBytes { raw in
                [UInt8](unsafeUninitializedCapacity: raw.count) { out, initialized in
                    UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
                    initialized = raw.count
                    if let mask = frame.mask { applyMask(mask, to: UnsafeMutableRawBufferPointer(out)) }
                }
            }
            return try EngineCodec.decode(binaryFrame: bytes, limits: limits)
        }
        let decoded: Result<EnginePacket, EngineDecodeError>
        if let mask = frame.mask {
            // Unmasked into scratch space (on the stack when small), decoded from there.
            decoded = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch in
                frame.payload.withUnsafeReadableBytes { raw in UnsafeMutableRawBufferPointer(scratch).copyMemory(from: raw) }
                applyMask(mask, to: UnsafeMutableRawBufferPointer(scratch))
                return Result { () throws(EngineDecodeError) -> EnginePacket in
                    try EngineCodec.decode(textBytes: UnsafeBufferPointer(scratch), limits: limits)
                }
            }
        } else {
            decoded = frame.payload.withUnsafeReadableBytes { raw in
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
    /// Masking and unmasking are the same operation. `mask` holds the key's bytes as on the wire.
    static func applyMask(_ mask: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        applyMask((UInt8(truncatingIfNeeded: mask >> 24), UInt8(truncatingIfNeeded: mask >> 16),
                   UInt8(truncatingIfNeeded: mask >> 8), UInt8(truncatingIfNeeded: mask)), to: bytes)
    }

    private static func applyMask(_ k: (UInt8, UInt8, UInt8, UInt8), to bytes: UnsafeMutableRawBufferPointer) {
        // Eight bytes at a time (the key repeats every four, so twice per word), then the tail.
        let word = UInt64(littleEndian: UInt64(k.0) | UInt64(k.1) << 8 | UInt64(k.2) << 16 | UInt64(k.3) << 24
                          | UInt64(k.0) << 32 | UInt64(k.1) << 40 | UInt64(k.2) << 48 | UInt64(k.3) << 56)
        var i = 0
        while i + 8 <= bytes.count {
            let value = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            bytes.storeBytes(of: value ^ word, toByteOffset: i, as: UInt64.self)
            i += 8
        }
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
