import Foundation
import NIOConcurrencyHelpers
import SocketIOServer
import ProtocolTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Socket.IO server lifecycle")
struct ServerLifecycleTests {
    @Test("empty dynamic children are removed when asked, and each new namespace is announced")
    func emptyChildren() async throws {
        let announced = NIOLockedValueBox<[String]>([])
        let io = SocketIOServer()
        io.onNewNamespace { namespace in announced.withLockedValue { $0.append(namespace.name) } }
        _ = try io.of(regex: #"/tmp-\d+"#, removeEmptyChildren: true)
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40/tmp-1,")
        _ = try await client.messages()
        #expect(io.namespaceNames == ["/", "/tmp-1"])
        try await client.post("41/tmp-1,")
        #expect(await eventually(within: 3) { io.namespaceNames == ["/"] })
        #expect(announced.withLockedValue { $0 } == ["/tmp-1"])
    }

    @Test("a socket that left is freed, even though its handlers capture it")
    func leftSocketIsFreed() async throws {
        let io = SocketIOServer()
        final class WeakBox: @unchecked Sendable { weak var socket: ServerSocket? }
        let box = WeakBox()
        io.onConnection { socket in
            box.socket = socket
            socket.on("echo") { event in try? socket.emit("echo", event.arguments) }
            socket.onDisconnect { _ in _ = socket.id }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        _ = try await client.messages()
        #expect(box.socket != nil)
        try await client.post("41")
        #expect(await eventually(within: 5) { box.socket == nil })
    }

    @Test("disconnect(close: true) ends the whole connection: every namespace leaves with forced server close")
    func closeWholeConnection() async throws {
        let reasons = NIOLockedValueBox<[String]>([])
        let io = SocketIOServer()
        for name in ["/", "/other"] {
            io.of(name).onConnection { socket in
                socket.onDisconnect { reason in reasons.withLockedValue { $0.append("\(socket.namespace.name) \(reason.rawValue)") } }
                socket.on("bye") { _ in socket.disconnect(close: true) }
            }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40\u{1e}40/other,")
        var connected = 0
        for _ in 0..<4 where connected < 2 { connected += try await client.messages().filter { $0.contains("\"sid\"") }.count }
        try await client.post("42[\"bye\"]")
        #expect(await eventually(within: 3) { reasons.withLockedValue { $0.count } == 2 })
        #expect(Set(reasons.withLockedValue { $0 }) == ["/ forced server close", "/other forced server close"])
        // The next GET takes the close packet (as from the reference server); the one after is refused.
        let last = try await client.poll()
        #expect(last.status == 200)
        #expect(last.packets.last?.type == .close)
        #expect(try await client.poll().status == 400)
    }

    @Test("a connection that never sends CONNECT is closed after connectTimeout")
    func connectTimeout() async throws {
        let io = SocketIOServer(configuration: SocketIOServerConfiguration(connectTimeout: 800))
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let start = ContinuousClock.now
        let client = try await RawPolling.open(port: http.port!)
        #expect(await eventually(within: 3) { io.engine.session(id: client.sid)?.isClosed ?? true })
        // Closed, and not before its time; the client's next GET gets the close packet.
        #expect(ContinuousClock.now - start >= .milliseconds(800))
        #expect(try await client.poll().packets.map(\.type) == [.close])
    }

    @Test("volatile emits are dropped while no poll waits, delivered when one does")
    func volatile() async throws {
        let io = SocketIOServer()
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        _ = try await client.messages()
        let socket = try #require(io.of("/").sockets.first)
        try socket.emitVolatile("lost")           // no GET is waiting: dropped
        let poll = Task { try await client.poll() }
        // Emit until the held GET takes one: each emit before it is held is dropped too.
        let done = NIOLockedValueBox(false)
        Task { _ = try? await poll.value; done.withLockedValue { $0 = true } }
        while !done.withLockedValue({ $0 }) {
            try socket.emitVolatile("kept")
            try await Task.sleep(for: .milliseconds(20))
        }
        let packets = try await poll.value.packets
        #expect(!packets.isEmpty)
        #expect(packets.allSatisfy { $0 == .message("2[\"kept\"]") })
    }

    @Test("an HTTP-style middleware reads the request that opened the connection (cookies, headers)")
    func httpMiddleware() async throws {
        let io = SocketIOServer()
        io.of("/").use(.http("session") { request in
            guard request.headers["cookie"]?.contains("session=valid") == true else { throw ConnectError("no session") }
        })
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        #expect(try await client.messages() == ["4{\"message\":\"no session\"}"])
    }
}

@Suite("Socket.IO server graceful shutdown")
struct GracefulShutdownTests {
    @Test("an ack owed when shutdown starts is still delivered, then the client is told the server is shutting down")
    func owedAckDelivered() async throws {
        let reasons = NIOLockedValueBox<[String]>([])
        let io = SocketIOServer()
        io.onConnection { socket in
            socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason.rawValue) } }
            socket.on("slow") { event in
                Task {
                    try await Task.sleep(for: .milliseconds(400))
                    event.ack?(["done"])
                }
            }
        }
        let http = try await io.start()
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        _ = try await client.messages()
        try await client.post("427[\"slow\"]")
        #expect(await eventually(within: 3) { io.unansweredAcks == 1 })
        let shutdown = Task { await io.shutdown(http, gracePeriod: .seconds(5)) }
        // New sessions are refused while draining...
        try await Task.sleep(for: .milliseconds(100))
        let (_, refused) = try await RawPolling.session.data(from: URL(string: "http://127.0.0.1:\(http.port!)/socket.io/?EIO=4&transport=polling")!)
        #expect((refused as? HTTPURLResponse)?.statusCode == 503)
        // ...the ack arrives although shutdown has begun...
        #expect(try await client.messages() == ["37[\"done\"]"])
        // ...then the session is closed.
        await shutdown.value
        #expect(reasons.withLockedValue { $0 } == ["server shutting down"])
        #expect(io.unansweredAcks == 0)
    }
}
