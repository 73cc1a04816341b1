import Testing
import EngineIOProtocol
import ProtocolTestSupport
@testable import SocketIOProtocol

/// Generated packets (binary at any depth, unicode, namespaces, ack ids up to 2^53-1) survive
/// encoding and decoding unchanged, alone and carried through Engine.IO polling bodies.
@Suite("Socket.IO round-trip properties")
struct SocketRoundTripPropertyTests {
    static let iterations = 3_000

    /// What the decoder gives back for a packet: EVENT/ACK with binary arrive as their binary types.
    static func expectedAfterRoundTrip(_ packet: SocketPacket) -> SocketPacket {
        var p = packet
        if p.binaryCount > 0 {
            if p.type == .event { p.type = .binaryEvent }
            if p.type == .ack { p.type = .binaryAck }
        }
        return p
    }

    @Test("encode then decode gives the packet back")
    func packetRoundTrip() throws {
        let seed = propertySeed(0x5EED_0001)
        var rng = SplitMix64(seed: seed)
        for i in 0..<Self.iterations {
            let packet = Generate.socketPacket(&rng)
            let encoded = try SocketPacketEncoder.encode(packet)
            var decoder = SocketPacketDecoder()
            var result = try decoder.decode(textBytes: encoded.bytes)
            for attachment in encoded.attachments { result = try decoder.decode(binary: attachment) }
            guard result == .packet(Self.expectedAfterRoundTrip(packet)) else {
                Issue.record("seed \(seed) iteration \(i): \(encoded.text) decoded as \(result)")
                return
            }
        }
    }

    @Test("packets survive Engine.IO polling bodies and WebSocket frames")
    func throughEngineIO() throws {
        let seed = propertySeed(0x5EED_0002)
        var rng = SplitMix64(seed: seed)
        for i in 0..<Self.iterations / 3 {
            let packets = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Generate.socketPacket(&rng) }
            var engine: [EnginePacket] = []
            for packet in packets {
                let encoded = try SocketPacketEncoder.encode(packet)
                engine.append(.message(encoded.text))
                engine += encoded.attachments.map { .binary($0) }
            }
            let body = PollingPayload.encode(engine)
            var decoder = SocketPacketDecoder()
            var received: [SocketPacket] = []
            for message in try PollingPayload.decode(body) {
                let result: SocketDecoderResult
                switch message.data {
                case .text(let text)?: result = try decoder.decode(text: text)
                case .binary(let bytes)?: result = try decoder.decode(binary: bytes)
                case nil: result = try decoder.decode(text: "")
                }
                if case .packet(let p) = result { received.append(p) }
            }
            // And one WebSocket frame per Engine.IO packet.
            let frames = engine.map(EngineCodec.encodeFrame)
            let fromFrames = try frames.map { frame -> EnginePacket in
                switch frame {
                case .text(let t): return try EngineCodec.decode(text: t)
                case .binary(let b): return try EngineCodec.decode(binaryFrame: b)
                }
            }
            guard received == packets.map(Self.expectedAfterRoundTrip), fromFrames == engine else {
                Issue.record("seed \(seed) iteration \(i): \(packets) came back as \(received)")
                return
            }
        }
    }

    @Test("damaged packets fail with an error that points inside the input, or decode")
    func damagedInput() {
        let seed = propertySeed(0x5EED_0003)
        var rng = SplitMix64(seed: seed)
        var refused = 0
        for i in 0..<Self.iterations {
            guard var bytes = try? SocketPacketEncoder.encode(Generate.socketPacket(&rng)).bytes else { continue }
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            default: if !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            }
            var decoder = SocketPacketDecoder()
            do {
                _ = try decoder.decode(textBytes: bytes)
            } catch {
                refused += 1
                guard error.offset >= 0 && error.offset <= bytes.count else {
                    Issue.record("seed \(seed) iteration \(i): offset \(error.offset) outside \(bytes.count) bytes for \(error)")
                    return
                }
            }
        }
        // Most damage is detected; a run where nothing is refused means the decoder accepts anything.
        #expect(refused > Self.iterations / 4)
    }
}
