/// HTTP long-polling bodies: packets joined by the record separator `\x1e`, binary as `b<base64>`.
public enum PollingPayload {
    /// The record separator between packets in a polling body.
    public static let separator: UInt8 = 0x1E

    public static func encode(_ packets: [EnginePacket]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(packets.count * 16)
        for (i, packet) in packets.enumerated() {
            if i > 0 { out.append(separator) }
            EngineCodec.appendText(of: packet, to: &out)
        }
        return out
    }

    public static func encodeToString(_ packets: [EnginePacket]) -> String {
        String(decoding: encode(packets), as: UTF8.self)
    }

    /// Decodes a whole body. The size is checked before anything is decoded; an empty body, or an
    /// empty element between separators, is an error at its offset.
    public static func decode(_ body: [UInt8], limits: EngineLimits = .init()) throws(EngineDecodeError) -> [EnginePacket] {
        try body.withBytes { (buffer) throws(EngineDecodeError) -> [EnginePacket] in
            try decode(buffer, limits: limits)
        }
    }

    public static func decode(_ body: String, limits: EngineLimits = .init()) throws(EngineDecodeError) -> [EnginePacket] {
        try decode(Array(body.utf8), limits: limits)
    }

    public static func decode(_ body: UnsafeBufferPointer<UInt8>, limits: EngineLimits = .init()) throws(EngineDecodeError) -> [EnginePacket] {
        if body.count > limits.maxPayloadBytes {
            throw EngineDecodeError(.tooLarge(size: body.count, limit: limits.maxPayloadBytes), at: limits.maxPayloadBytes)
        }
        var packets: [EnginePacket] = []
        for range in elementRanges(body) {
            let element = UnsafeBufferPointer(rebasing: body[range])
            packets.append(try EngineCodec.decode(packetBytes: element, baseOffset: range.lowerBound, utf8Checked: false))
        }
        return packets
    }

    /// The byte ranges of the elements of a body, split at each separator (an empty body is one empty element).
    public static func elementRanges(_ body: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 0..<body.count where body[i] == separator {
            ranges.append(start..<i)
            start = i + 1
        }
        ranges.append(start..<body.count)
        return ranges
    }
}
