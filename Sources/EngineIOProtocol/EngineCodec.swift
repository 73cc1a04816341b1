import WireJSON

/// Encoding and decoding of single Engine.IO packets: WebSocket frames and polling payload elements.
public enum EngineCodec {
    /// The WebSocket frame for a packet: text packets as `<digit><data>`, binary data as raw bytes.
    public static func encodeFrame(_ packet: EnginePacket) -> EngineFrame {
        switch packet.data {
        case .binary(let bytes): return .binary(bytes)
        case .text(let text): return .text(String(Character(Unicode.Scalar(packet.type.digit))) + text)
        case nil: return .text(String(Character(Unicode.Scalar(packet.type.digit))))
        }
    }

    /// Appends the text form of a packet (`b<base64>` for binary data), as it appears in a polling body.
    public static func appendText(of packet: EnginePacket, to out: inout [UInt8]) {
        switch packet.data {
        case .binary(let bytes):
            out.append(UInt8(ascii: "b"))
            out.append(contentsOf: Base64.encode(bytes))
        case .text(let text):
            out.append(packet.type.digit)
            out.append(contentsOf: text.utf8)
        case nil:
            out.append(packet.type.digit)
        }
    }

    /// Decodes one WebSocket binary frame: always a binary message.
    public static func decode(binaryFrame bytes: [UInt8], limits: EngineLimits = .init()) throws(EngineDecodeError) -> EnginePacket {
        if bytes.count > limits.maxPayloadBytes {
            throw EngineDecodeError(.tooLarge(size: bytes.count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
        }
        return .binary(bytes)
    }

    /// Decodes one text packet (a WebSocket text frame).
    public static func decode(text: String, limits: EngineLimits = .init()) throws(EngineDecodeError) -> EnginePacket {
        return try text.withUTF8Bytes { (buffer) throws(EngineDecodeError) -> EnginePacket in
            if buffer.count > limits.maxPayloadBytes {
                throw EngineDecodeError(.tooLarge(size: buffer.count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
            }
            return try decode(packetBytes: buffer, baseOffset: 0, utf8Checked: true)
        }
    }

    /// Decodes one text packet from raw bytes (a WebSocket text frame's payload, unvalidated).
    public static func decode(textBytes: [UInt8], limits: EngineLimits = .init()) throws(EngineDecodeError) -> EnginePacket {
        try textBytes.withBytes { (buffer) throws(EngineDecodeError) -> EnginePacket in try decode(textBytes: buffer, limits: limits) }
    }

    /// The same, from bytes the caller holds (a transport's own buffer): no copy before the packet's string.
    public static func decode(textBytes: UnsafeBufferPointer<UInt8>, limits: EngineLimits = .init()) throws(EngineDecodeError) -> EnginePacket {
        if textBytes.count > limits.maxPayloadBytes {
            throw EngineDecodeError(.tooLarge(size: textBytes.count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
        }
        return try decode(packetBytes: textBytes, baseOffset: 0, utf8Checked: false)
    }

    /// The shared decoder for one packet's bytes. `baseOffset` places errors within a larger body.
    static func decode(
        packetBytes bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, utf8Checked: Bool
    ) throws(EngineDecodeError) -> EnginePacket {
        guard let first = bytes.first else { throw EngineDecodeError(.emptyPacket, at: baseOffset) }
        let rest = UnsafeBufferPointer(rebasing: bytes[1...])
        if first == UInt8(ascii: "b") {
            do {
                return .binary(try Base64.decode(rest))
            } catch {
                throw EngineDecodeError(.invalidBase64(error.kind), at: baseOffset + 1 + error.offset)
            }
        }
        guard let type = EnginePacketType(digit: first) else {
            throw EngineDecodeError(.unknownPacketType(first), at: baseOffset)
        }
        if rest.isEmpty {
            return EnginePacket(type, type == .message ? .text("") : nil)
        }
        if !utf8Checked, let bad = UTF8Validation.firstInvalidOffset(in: rest) {
            throw EngineDecodeError(.invalidUTF8, at: baseOffset + 1 + bad)
        }
        return EnginePacket(type, .text(String(decoding: rest, as: UTF8.self)))
    }
}
