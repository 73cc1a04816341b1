import Dispatch
import EngineIOServer
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import SocketIOServer
import SocketIOTrace
import Testing

/// The server's side of a client that stops reading: volatile packets are dropped first, regular
/// ones wait, and past `maxOutboundBufferBytes` the session ends with a traced reason instead of
/// growing. The client is this project's, on an event loop of its own: blocking that loop until
/// the test lets it go stops its reads while its connection stays open.
@Suite("Socket.IO server: a client that stops reading")
struct SlowReaderTests {
    final class Outbound: Sendable {
        let packets = NIOLockedValueBox<[String]>([])
        let closeReasons = NIOLockedValueBox<[String]>([])
        var sink: ClosureTraceSink {
            ClosureTraceSink { [packets, closeReasons] event in
                switch event {
                case .enginePacket(side: .server, sid: _, direction: .outbound, transport: _, packet: let packet):
                    if case .text(let text) = packet.data { packets.withLockedValue { $0.append(text) } }
                case .engineClosed(side: .server, sid: _, reason: let reason):
                    closeReasons.withLockedValue { $0.append(reason) }
                default:
                    break
                }
            }
        }
        func count(_ marker: String) -> Int { packets.withLockedValue { $0.filter { $0.contains(marker) }.count } }
    }

    @Test("a stalled WebSocket reader: volatile emits dropped, regular ones all delivered once it reads; past the bound the session ends, traced")
    func stalledWebSocketReader() async throws {
        let outbound = Outbound()
        let io = SocketIOServer(trace: outbound.sink)
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
                                    reconnection: ReconnectionOptions(enabled: false), group: clientGroup)
        let socket = manager.socket()
        let volatiles = NIOLockedValueBox<[String]>([])
        let fills = NIOLockedValueBox(0)
        socket.on("v") { event in volatiles.withLockedValue { $0.append(event.arguments.first?.jsonText ?? "") } }
        socket.on("fill") { _ in fills.withLockedValue { $0 += 1 } }
        try await socket.connect()
        let server = try #require(io.of("/").sockets.first)
        try server.emitVolatile("v", ["before"])
        #expect(await eventually { volatiles.withLockedValue { $0 } == ["\"before\""] })

        // While the client does not read: 300 regular emits of 16 KiB (4.8 MB, under the 8 MiB
        // bound), each followed by a volatile one. Once the socket buffers and NIO's are full the
        // server stops writing the volatile ones; its trace shows which it wrote.
        let stalled = DispatchSemaphore(value: 0)
        defer { stalled.signal() }  // never leave the loop blocked, whatever fails
        clientGroup.next().execute { stalled.wait() }
        let filler = JSONValue.string(String(repeating: "x", count: 16 << 10))
        for index in 0..<300 {
            try server.emit("fill", [filler])
            try server.emitVolatile("v", [.string("during-\(index)")])
        }
        let allQueued = await eventually { outbound.count("\"fill\"") == 300 }
        let written = outbound.count("during-")
        stalled.signal()
        #expect(allQueued)
        #expect(written < 300, "every volatile emit was written to a client that was not reading")
        // Once it reads again: every regular emit arrives, of the volatile ones exactly those written.
        #expect(await eventually(within: 10) { fills.withLockedValue { $0 } == 300 })
        try server.emitVolatile("v", ["after"])
        #expect(await eventually(within: 10) { volatiles.withLockedValue { $0.last } == "\"after\"" })
        #expect(volatiles.withLockedValue { $0.filter { $0.hasPrefix("\"during-") }.count } == written)
        #expect(outbound.closeReasons.withLockedValue { $0 }.isEmpty)

        // Stalled again, with far more than the bound on its way: the session is closed, traced.
        let stalledAgain = DispatchSemaphore(value: 0)
        defer { stalledAgain.signal() }
        clientGroup.next().execute { stalledAgain.wait() }
        for _ in 0..<1_000 where outbound.closeReasons.withLockedValue({ $0 }).isEmpty {
            try server.emit("fill", [filler])
            await Task.yield()
        }
        let closed = await eventually(within: 10) { outbound.closeReasons.withLockedValue { $0 } == ["outbound buffer full"] }
        stalledAgain.signal()
        #expect(closed, "\(outbound.closeReasons.withLockedValue { $0 })")
        manager.close()
        try await clientGroup.shutdownGracefully()
    }
}
