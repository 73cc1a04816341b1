import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@Suite("Engine.IO packets in WebSocket frames")
struct EngineFramesTests {
    static let packets: [EnginePacket] = [
        .message("[\"chat\",\"héllo ✓\"]"), .ping, .pong, .probePing, .close, .upgrade, .message(""),
        .binary([0, 1, 2, 255]), .binary([]),
    ]

    /// A wire frame read back as the peer reads it.
    static func received(_ wire: ByteBuffer, masked: Bool) throws -> InboundFrame {
        var reader = WebSocketFrameReader(peer: masked ? .client : .server, maxMessageBytes: 1 << 20)
        reader.feed(wire)
        let frame = try #require(try reader.next())
        #expect(try reader.next() == nil)
        return frame
    }

    @Test("a packet comes back from its wire frame, masked or not", arguments: packets)
    func roundTrip(packet: EnginePacket) throws {
        var keys = MaskingKeys()
        for key in [nil, keys.nextKey()] {
            let frame = try Self.received(EngineFrames.wireFrame(for: packet, allocator: ByteBufferAllocator(), maskKey: key), masked: key != nil)
            #expect(frame.opcode == (packet.isBinary ? .binary : .text))
            #expect((frame.mask == nil) == (key == nil))
            #expect(try EngineFrames.packet(from: frame, limits: EngineLimits()) == packet)
        }
    }

    @Test("a whole wire frame reads back through NIO's own frame decoder, at every length form",
          arguments: [0, 1, 124, 125, 126, 65_534, 65_535, 70_000])
    func wireFrames(length: Int) throws {
        var keys = MaskingKeys()
        for packet in [EnginePacket.message(String(repeating: "é", count: length / 2) + (length % 2 == 1 ? "x" : "")),
                       .binary(Array(repeating: 7, count: length))] {
            for key in [nil, keys.nextKey()] {
                let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
                try channel.writeInbound(EngineFrames.wireFrame(for: packet, allocator: channel.allocator, maskKey: key))
                let frame = try #require(try channel.readInbound(as: WebSocketFrame.self))
                #expect(frame.fin && frame.rsv1 == false && frame.maskKey == key)
                #expect(frame.opcode == (packet.isBinary ? .binary : .text))
                let read = InboundFrame(opcode: frame.opcode, payload: frame.unmaskedData)
                #expect(try EngineFrames.packet(from: read, limits: EngineLimits(maxPayloadBytes: 1 << 20)) == packet)
                #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
            }
        }
    }

    @Test("frames NIO's own encoder writes read back through WebSocketFrameReader, at every length form",
          arguments: [0, 1, 125, 126, 65_535, 65_536])
    func nioFrames(length: Int) throws {
        var keys = MaskingKeys()
        for key in [nil, keys.nextKey()] {
            let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
            let payload = ByteBuffer(repeating: 0x61, count: length)
            // NIO's encoder masks the data itself when the frame has a key.
            try channel.writeOutbound(WebSocketFrame(fin: true, opcode: .binary, maskKey: key, data: payload))
            var wire = ByteBuffer()
            while var part = try channel.readOutbound(as: ByteBuffer.self) { wire.writeBuffer(&part) }
            let frame = try Self.received(wire, masked: key != nil)
            #expect(frame.opcode == .binary)
            #expect(frame.unmaskedPayload == payload)
        }
    }

    @Test("control frames and close codes on the wire")
    func controlFrames() throws {
        var keys = MaskingKeys()
        let key = keys.nextKey()
        let ping = try Self.received(EngineFrames.controlFrame(.ping, payload: ByteBuffer(string: "probe"), allocator: ByteBufferAllocator(),
                                                               maskKey: key), masked: true)
        #expect(ping.opcode == .ping && ping.unmaskedPayload == ByteBuffer(string: "probe"))
        var close = try Self.received(EngineFrames.closeFrame(.messageTooLarge, allocator: ByteBufferAllocator()), masked: false)
        #expect(close.opcode == .connectionClose)
        #expect(close.payload.readWebSocketErrorCode() == .messageTooLarge)
    }

    @Test("a text frame carries the packet as its digit and data")
    func wireForm() {
        let wire = EngineFrames.wireFrame(for: .message("hi"), allocator: ByteBufferAllocator())
        #expect(Array(wire.readableBytesView) == [0x81, 3, 0x34, 0x68, 0x69])
    }

    @Test("masked text that is not UTF-8, an unknown type and an oversized frame are refused")
    func refusals() throws {
        let allocator = ByteBufferAllocator()
        func masked(_ bytes: [UInt8], opcode: WebSocketOpcode = .text) -> InboundFrame {
            let mask: UInt32 = 0x1234_5678
            var data = allocator.buffer(bytes: bytes)
            data.webSocketMask([0x12, 0x34, 0x56, 0x78])
            return InboundFrame(opcode: opcode, payload: data, mask: mask)
        }
        #expect(throws: EngineDecodeError.self) { try EngineFrames.packet(from: masked([0x34, 0xC3, 0x28]), limits: EngineLimits()) }
        #expect(throws: EngineDecodeError.self) { try EngineFrames.packet(from: masked([0x39]), limits: EngineLimits()) }
        #expect(throws: EngineDecodeError.self) { try EngineFrames.packet(from: masked([]), limits: EngineLimits()) }
        #expect(try EngineFrames.packet(from: masked([], opcode: .binary), limits: EngineLimits()) == .binary([]))
        #expect(try EngineFrames.packet(from: masked([0x34, 0x68, 0x69]), limits: EngineLimits()) == .message("hi"))
        #expect(throws: EngineDecodeError.self) {
            try EngineFrames.packet(from: masked(Array(repeating: 0x34, count: 11)), limits: EngineLimits(maxPayloadBytes: 10))
        }
        #expect(throws: EngineDecodeError.self) {
            try EngineFrames.packet(from: masked(Array(repeating: 1, count: 11), opcode: .binary), limits: EngineLimits(maxPayloadBytes: 10))
        }
    }

    @Test("masking keys vary from frame to frame")
    func keysVary() {
        var keys = MaskingKeys()
        let drawn = (0..<200).map { _ in Array(keys.nextKey()) }
        #expect(Set(drawn).count > 190)
    }
}

@Suite("one flush per event-loop turn")
struct FlushCoalescerTests {
    @Test("writes wait for the loop turn to end, then leave with one flush")
    func coalesces() throws {
        let channel = EmbeddedChannel()
        let loop = channel.embeddedEventLoop
        let flusher = FlushCoalescer(eventLoop: loop)
        for text in ["a", "b"] {
            channel.write(channel.allocator.buffer(string: text), promise: nil)
            flusher.flushSoon(channel)
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        loop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == channel.allocator.buffer(string: "a"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == channel.allocator.buffer(string: "b"))
        // The next turn flushes again.
        channel.write(channel.allocator.buffer(string: "c"), promise: nil)
        flusher.flushSoon(channel)
        loop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == channel.allocator.buffer(string: "c"))
    }

    @Test("during a read, writes wait for the read to end, without a task")
    func readFlush() throws {
        let channel = EmbeddedChannel()
        let flusher = FlushCoalescer(eventLoop: channel.embeddedEventLoop)
        flusher.readStarted()
        channel.write(channel.allocator.buffer(string: "ack"), promise: nil)
        flusher.flushSoon(channel)
        channel.embeddedEventLoop.run()   // no task was scheduled: still unflushed
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        flusher.readComplete()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == channel.allocator.buffer(string: "ack"))
        // After the read, the loop-turn task is back.
        channel.write(channel.allocator.buffer(string: "later"), promise: nil)
        flusher.flushSoon(channel)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == channel.allocator.buffer(string: "later"))
    }

    @Test("moving to another connection within a turn flushes the first at once")
    func switchesChannels() throws {
        let first = EmbeddedChannel(), second = EmbeddedChannel(loop: first.embeddedEventLoop)
        let flusher = FlushCoalescer(eventLoop: first.embeddedEventLoop)
        first.write(first.allocator.buffer(string: "old"), promise: nil)
        flusher.flushSoon(first)
        second.write(second.allocator.buffer(string: "new"), promise: nil)
        flusher.flushSoon(second)
        #expect(try first.readOutbound(as: ByteBuffer.self) == first.allocator.buffer(string: "old"))
        first.embeddedEventLoop.run()
        #expect(try second.readOutbound(as: ByteBuffer.self) == second.allocator.buffer(string: "new"))
    }
}
