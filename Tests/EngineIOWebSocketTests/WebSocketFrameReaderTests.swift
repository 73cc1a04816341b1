@testable import EngineIOWebSocket
import NIOCore
import NIOWebSocket
import Testing

/// Frames built by hand, byte by byte as RFC 6455 5.2 lays them out, so that the reader is checked
/// against the RFC and not against our own writer.
struct RawFrame {
    var opcode: UInt8
    var payload: [UInt8]
    var fin = true
    var rsv: UInt8 = 0
    var mask: [UInt8]? = [0x0A, 0xB0, 0x0C, 0xD0]
    /// Claimed payload length, when it differs from the payload's.
    var claimedLength: UInt64?

    var bytes: [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let length = claimedLength ?? UInt64(payload.count)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        if length > 65_535 {
            out.append(maskBit | 127)
            out += (0..<8).reversed().map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) }
        } else if length > 125 {
            out += [maskBit | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            out.append(maskBit | UInt8(length))
        }
        guard let mask else { return out + payload }
        return out + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }
}

@Suite("WebSocket frames read from a byte stream")
struct WebSocketFrameReaderTests {
    /// Everything the reader hands over for `chunks` fed in order, payloads unmasked.
    static func read(_ chunks: [[UInt8]], peer: WebSocketFrameReader.Peer = .client,
                     max: Int = 1_000) throws(WebSocketFrameError) -> [(WebSocketOpcode, [UInt8])] {
        var reader = WebSocketFrameReader(peer: peer, maxMessageBytes: max)
        var frames: [(WebSocketOpcode, [UInt8])] = []
        for chunk in chunks {
            reader.feed(ByteBuffer(bytes: chunk))
            while let frame = try reader.next() { frames.append((frame.opcode, Array(frame.unmaskedPayload.readableBytesView))) }
        }
        return frames
    }

    static func refusal(_ frames: [RawFrame], peer: WebSocketFrameReader.Peer = .client, max: Int = 1_000) -> WebSocketFrameError? {
        do {
            _ = try read([frames.flatMap(\.bytes)], peer: peer, max: max)
            return nil
        } catch {
            return error
        }
    }

    @Test("frames arriving together, byte by byte, or split anywhere give the same messages")
    func anySplit() throws {
        let frames = [RawFrame(opcode: 1, payload: Array("4hello".utf8)), RawFrame(opcode: 2, payload: Array(repeating: 9, count: 300)),
                      RawFrame(opcode: 9, payload: [1, 2]), RawFrame(opcode: 1, payload: Array(repeating: 0x34, count: 70_000)),
                      RawFrame(opcode: 1, payload: [])]
        let wire = frames.flatMap(\.bytes)
        let whole = try Self.read([wire], max: 100_000)
        #expect(whole.map(\.0) == [.text, .binary, .ping, .text, .text])
        #expect(whole.map(\.1) == frames.map(\.payload))
        let byteByByte = try Self.read(wire.map { [$0] }, max: 100_000)
        #expect(byteByByte.map(\.1) == frames.map(\.payload))
        var random = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var chunks: [[UInt8]] = []
            var rest = wire[...]
            while !rest.isEmpty {
                let size = Int.random(in: 1...max(1, rest.count / 3), using: &random)
                chunks.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            #expect(try Self.read(chunks, max: 100_000).map(\.1) == frames.map(\.payload))
        }
    }

    @Test("a fragmented message is joined, with a ping between its fragments handed over first")
    func fragments() throws {
        let frames = [RawFrame(opcode: 1, payload: Array("4fir".utf8), fin: false), RawFrame(opcode: 9, payload: [7]),
                      RawFrame(opcode: 0, payload: Array("st ".utf8), fin: false, mask: [1, 2, 3, 4]),
                      RawFrame(opcode: 0, payload: Array("part".utf8))]
        let read = try Self.read([frames.flatMap(\.bytes)])
        #expect(read.map(\.0) == [.ping, .text])
        #expect(read.map(\.1) == [[7], Array("4first part".utf8)])
        // A server's frames are not masked.
        let unmasked = frames.map { var frame = $0; frame.mask = nil; return frame }
        #expect(try Self.read([unmasked.flatMap(\.bytes)], peer: .server).map(\.1) == [[7], Array("4first part".utf8)])
    }

    @Test("frames RFC 6455 forbids are refused with a protocol error (1002)")
    func protocolErrors() {
        let cases: [(String, [RawFrame], WebSocketFrameReader.Peer)] = [
            ("RSV1", [RawFrame(opcode: 1, payload: [0x34], rsv: 0b100)], .client),
            ("RSV2+3", [RawFrame(opcode: 1, payload: [0x34], rsv: 0b011)], .client),
            ("reserved data opcode", [RawFrame(opcode: 3, payload: [])], .client),
            ("reserved control opcode", [RawFrame(opcode: 0xB, payload: [])], .client),
            ("unmasked from a client", [RawFrame(opcode: 1, payload: [0x34], mask: nil)], .client),
            ("masked from a server", [RawFrame(opcode: 1, payload: [0x34])], .server),
            ("long ping", [RawFrame(opcode: 9, payload: Array(repeating: 0, count: 126))], .client),
            ("fragmented ping", [RawFrame(opcode: 9, payload: [], fin: false)], .client),
            ("continuation first", [RawFrame(opcode: 0, payload: [1])], .client),
            ("message inside a message", [RawFrame(opcode: 1, payload: [0x34], fin: false), RawFrame(opcode: 2, payload: [1])], .client),
            ("one-byte close", [RawFrame(opcode: 8, payload: [3])], .client),
        ]
        for (name, frames, peer) in cases {
            let error = Self.refusal(frames, peer: peer)
            #expect(error?.kind == .protocolError, "\(name)")
            #expect(error?.closeCode == .protocolError, "\(name)")
        }
    }

    @Test("frames and messages over the limit are refused (1009), a frame on its header alone")
    func tooBig() {
        #expect(Self.refusal([RawFrame(opcode: 1, payload: Array(repeating: 0x34, count: 11))], max: 10)?.closeCode == .messageTooLarge)
        // Only the header of a frame claiming 2^62 bytes: refused before any payload.
        let header = RawFrame(opcode: 2, payload: [], claimedLength: 1 << 62).bytes
        #expect(throws: WebSocketFrameError(.tooBig, "a frame of 4611686018427387904 bytes, over 10")) {
            _ = try Self.read([header], max: 10)
        }
        let pieces = [RawFrame(opcode: 1, payload: Array(repeating: 0x34, count: 6), fin: false),
                      RawFrame(opcode: 0, payload: Array(repeating: 0x34, count: 6))]
        #expect(Self.refusal(pieces, max: 10)?.kind == .tooBig)
        var reader = WebSocketFrameReader(peer: .client, maxMessageBytes: 1_000, maxFragments: 3)
        let many = [RawFrame(opcode: 1, payload: [0x34], fin: false)] + Array(repeating: RawFrame(opcode: 0, payload: [1], fin: false), count: 3)
        reader.feed(ByteBuffer(bytes: many.flatMap(\.bytes)))
        #expect(throws: WebSocketFrameError.self) { _ = try reader.next() }
    }

    @Test("thousands of one-byte fragments, each in a read of its own, cost their bytes and no buffer each")
    func tinyFragments() throws {
        // ws 8.20 kept a buffer per fragment and per read (CVE-2026-48779): 9,999 reads of one
        // fragment each must leave the reader holding the message's bytes, not the reads.
        var reader = WebSocketFrameReader(peer: .client, maxMessageBytes: 100_000)
        let count = 9_999
        for index in 0..<count {
            let frame = RawFrame(opcode: index == 0 ? 1 : 0, payload: [0x61], fin: false)
            // Each read's buffer is as large as NIO's first read buffer, and split mid-frame.
            for part in [Array(frame.bytes.prefix(3)), Array(frame.bytes.dropFirst(3))] {
                var read = ByteBufferAllocator().buffer(capacity: 2_048)
                read.writeBytes(part)
                reader.feed(read)
                #expect(try reader.next() == nil)
            }
        }
        #expect(reader.heldCapacity >= count && reader.heldCapacity <= 2 * count + 1_024, "\(reader.heldCapacity) bytes held")
        reader.feed(ByteBuffer(bytes: RawFrame(opcode: 0, payload: [0x62]).bytes))
        let message = try #require(try reader.next())
        #expect(message.opcode == .text && message.unmaskedPayload.readableBytes == count + 1)
        #expect(reader.heldCapacity == 0)
    }

    @Test("nothing is read after a close frame or an error")
    func stops() throws {
        let afterClose = [RawFrame(opcode: 8, payload: [0x03, 0xE8]), RawFrame(opcode: 1, payload: [0x34])]
        let read = try Self.read([afterClose.flatMap(\.bytes)])
        #expect(read.map(\.0) == [.connectionClose])
        var reader = WebSocketFrameReader(peer: .client, maxMessageBytes: 100)
        reader.feed(ByteBuffer(bytes: RawFrame(opcode: 1, payload: [0x34], mask: nil).bytes))
        #expect(throws: WebSocketFrameError.self) { _ = try reader.next() }
        reader.feed(ByteBuffer(bytes: RawFrame(opcode: 1, payload: [0x34]).bytes))
        #expect(try reader.next() == nil)
    }
}
