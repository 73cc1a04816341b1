@testable import EngineIOClient
import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOEmbedded
import Testing

@Suite("the client's WebSocket handler")
struct ClientWebSocketHandlerTests {
    static func handler(on loop: EmbeddedEventLoop) -> ClientWebSocketHandler {
        ClientWebSocketHandler(maxPayload: 1_000, onPacket: { _, _ in }, onClose: { _ in }, flusher: FlushCoalescer(eventLoop: loop))
    }

    /// A server's ping, unmasked as servers send them.
    static let ping = ByteBuffer(bytes: [0x89, 4, 0x70, 0x69, 0x6E, 0x67])

    @Test("a ping is answered with a masked pong carrying its payload")
    func answersPing() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(Self.handler(on: channel.embeddedEventLoop))
        try channel.writeInbound(Self.ping)
        let pong = try #require(try channel.readOutbound(as: ByteBuffer.self))
        var reader = WebSocketFrameReader(peer: .client, maxMessageBytes: 100)
        reader.feed(pong)
        let frame = try #require(try reader.next())
        #expect(frame.opcode == .pong && frame.mask != nil)
        #expect(frame.unmaskedPayload == ByteBuffer(string: "ping"))
    }

    @Test("pings go unanswered while earlier frames wait: pongs never pile up")
    func boundedPongs() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(Self.handler(on: channel.embeddedEventLoop))
        channel.isWritable = false
        for _ in 0..<1_000 { try channel.writeInbound(Self.ping) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.isWritable = true
        try channel.writeInbound(Self.ping)
        #expect(try channel.readOutbound(as: ByteBuffer.self) != nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }
}
