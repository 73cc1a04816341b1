import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// A handler whose place in the pipeline the frames are written from.
private final class Place: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
}

@Suite("frames gathered until the flush")
struct PendingFramesTests {
    @Test("appended packets leave as one buffer that reads back as the same frames, in order")
    func oneBuffer() throws {
        var pending = PendingFrames()
        #expect(pending.isEmpty)
        let nothing = pending.take()
        #expect(nothing == nil)
        var keys = MaskingKeys()
        let packets: [EnginePacket] = [.message("one"), .binary([1, 2, 3]), .message(String(repeating: "x", count: 300)), .ping]
        for packet in packets { pending.append(packet, maskKey: keys.nextKey(), allocator: ByteBufferAllocator()) }
        #expect(!pending.isEmpty)
        let taken = pending.take()
        let wire = try #require(taken)
        let again = pending.take()
        #expect(pending.isEmpty && again == nil)
        #expect(wire.readableBytes == packets.map { EngineFrames.wireSize(of: $0, masked: true) }.reduce(0, +))
        var reader = WebSocketFrameReader(peer: .client, maxMessageBytes: 1_000)
        reader.feed(wire)
        var read: [EnginePacket] = []
        while let frame = try reader.next() { read.append(try EngineFrames.packet(from: frame, limits: EngineLimits())) }
        #expect(read == packets)
    }

    @Test("it reports full once a burst passes the hand-over size")
    func full() {
        var pending = PendingFrames()
        let packet = EnginePacket.message(String(repeating: "y", count: 1_000))
        var appended = 0
        while !pending.isFull {
            pending.append(packet, allocator: ByteBufferAllocator())
            appended += 1
        }
        #expect(appended == PendingFrames.handOverBytes / EngineFrames.wireSize(of: packet, masked: false) + 1)
        let burst = pending.take()
        #expect(burst?.readableBytes == appended * EngineFrames.wireSize(of: packet, masked: false))
        #expect(!pending.isFull)
    }

    @Test("what is gathered is written from the handler's place as one buffer, then nothing more")
    func writeFromContext() throws {
        let channel = EmbeddedChannel(handler: Place())
        let context = try channel.pipeline.syncOperations.context(handlerType: Place.self)
        var pending = PendingFrames()
        pending.write(from: context)   // nothing gathered: nothing written
        pending.append(.message("a"), allocator: channel.allocator)
        pending.append(.message("b"), allocator: channel.allocator)
        pending.write(from: context)
        #expect(pending.isEmpty)
        channel.flush()
        let written = try channel.readOutbound(as: ByteBuffer.self)
        #expect(written.map { Array($0.readableBytesView) } == [0x81, 2, 0x34, 0x61, 0x81, 2, 0x34, 0x62])
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }
}
