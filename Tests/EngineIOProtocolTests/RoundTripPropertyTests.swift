import Testing
import ProtocolTestSupport
@testable import EngineIOProtocol

@Suite("Engine.IO round-trip properties")
struct EngineRoundTripPropertyTests {
    @Test("polling bodies and frames give the packets back")
    func roundTrip() throws {
        let seed = propertySeed(0x5EED_0101)
        var rng = SplitMix64(seed: seed)
        for i in 0..<2_000 {
            let packets = (0..<Int.random(in: 1...8, using: &rng)).map { _ in Generate.enginePacket(&rng) }
            let decoded = try PollingPayload.decode(PollingPayload.encode(packets))
            let framed = try packets.map { packet -> EnginePacket in
                switch EngineCodec.encodeFrame(packet) {
                case .text(let t): return try EngineCodec.decode(text: t)
                case .binary(let b): return try EngineCodec.decode(binaryFrame: b)
                }
            }
            guard decoded == packets, framed == packets else {
                Issue.record("seed \(seed) iteration \(i): \(packets) came back as \(decoded) / \(framed)")
                return
            }
        }
    }
}
