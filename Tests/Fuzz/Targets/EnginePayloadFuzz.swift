import EngineIOProtocol

/// libFuzzer entry: arbitrary bytes as a polling body, a text frame and a binary frame.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = EngineLimits(maxPayloadBytes: 64 * 1024)
    if let packets = try? PollingPayload.decode(bytes, limits: limits) {
        // Whatever decodes must encode and decode to the same packets.
        let again = try? PollingPayload.decode(PollingPayload.encode(packets), limits: EngineLimits(maxPayloadBytes: .max))
        if again != packets { fatalError("polling body round trip changed the packets") }
        for packet in packets {
            if case .open = packet.type, let text = packet.text { _ = try? EngineHandshake(jsonText: text) }
        }
    }
    _ = try? EngineCodec.decode(textBytes: bytes, limits: limits)
    return 0
}
