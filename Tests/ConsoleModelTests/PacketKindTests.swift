import ConsoleModel
import ConsoleTestSupport
import SocketIOProtocol
import Testing

/// A packet record's kind is a value: Engine.IO, Socket.IO or lifecycle, with events and acks
/// (binary or not) told apart by the type, not by a string's suffix.
@Suite("packet kinds")
struct PacketKindTests {
    static func record(_ event: TraceEvent) -> PacketRecord? { PacketRecord(event, seq: 1, time: 0) }

    /// A BINARY_EVENT as the decoder gives it (the `.event` factory leaves the type to the encoder).
    static let binaryEvent = TraceEvent.socketPacket(side: .server, sid: "s", direction: .inbound, packet: SocketPacket(
        type: .binaryEvent, id: 3, payload: ["chat", .binary([1])]))

    @Test("each trace event becomes the kind it is, shown by its label")
    func kinds() throws {
        let event = try #require(Self.record(Self.binaryEvent))
        #expect(event.kind == .socket(.binaryEvent))
        #expect(event.kind.isEvent && !event.kind.isAck)
        #expect(event.type == "BINARY_EVENT")
        let ack = try #require(Self.record(Fixtures.ack(["ok"], id: 3, direction: .outbound)))
        #expect(ack.kind == .socket(.ack) && ack.kind.isAck && !ack.kind.isEvent)
        let ping = try #require(Self.record(Fixtures.ping()))
        #expect(ping.kind == .engine(.ping))
        #expect(ping.type == "ping")
        let opened = try #require(Self.record(.engineOpened(side: .server, sid: "s", transport: .polling, remoteAddress: nil)))
        #expect(opened.kind == .lifecycle(.open))
        let timedOut = try #require(Self.record(.ackTimedOut(side: .server, namespace: "/", socketID: "x", id: 1)))
        #expect(timedOut.kind == .lifecycle(.ackTimeout) && timedOut.type == "ack-timeout" && timedOut.isError)
    }

    @Test("type:event and type:ack match the binary forms too; type:binary_event only those")
    func filters() throws {
        let binary = try #require(Self.record(Self.binaryEvent))
        let plain = try #require(Self.record(Fixtures.event("chat")))
        #expect(try PacketFilter.parse("type:event").matches(binary))
        #expect(try PacketFilter.parse("type:event").matches(plain))
        #expect(try PacketFilter.parse("type:binary_event").matches(binary))
        #expect(try !PacketFilter.parse("type:binary_event").matches(plain))
        #expect(try !PacketFilter.parse("type:ack").matches(plain))
    }
}
