import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient
import SocketIOServer
import ProtocolTestSupport
import Testing

@Suite("Socket.IO client reconnection")
struct ReconnectionTests {
    @Test("backoff: doubling from the first delay, capped, jittered within the factor")
    func backoff() {
        let plain = ReconnectionOptions(delayMilliseconds: 1_000, maxDelayMilliseconds: 5_000, randomizationFactor: 0)
        #expect((1...5).map { plain.delay(beforeAttempt: $0, random: 0.3) } == [1_000, 2_000, 4_000, 5_000, 5_000])
        let jittered = ReconnectionOptions(delayMilliseconds: 1_000, maxDelayMilliseconds: 5_000, randomizationFactor: 0.5)
        #expect(jittered.delay(beforeAttempt: 1, random: 0.5) == 1_250)   // odd tenth: delay + deviation
        #expect(jittered.delay(beforeAttempt: 1, random: 0.4) == 800)     // even tenth: delay - deviation
        #expect(jittered.delay(beforeAttempt: 40, random: 0.9) == 5_000)  // never past the cap
    }

    @Test("after the server drops the connection the client comes back, rejoins its namespace and delivers what was emitted meanwhile",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func reconnects(_ mode: EngineClientConfiguration.Mode) async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(
            configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: mode),
            reconnection: ReconnectionOptions(delayMilliseconds: 50, maxDelayMilliseconds: 200),
            group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let reconnected = NIOLockedValueBox<[Int]>([])
        manager.onReconnect { attempts in reconnected.withLockedValue { $0.append(attempts) } }
        let socket = manager.socket()
        let reasons = NIOLockedValueBox<[ClientDisconnectReason]>([])
        socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason) } }
        let echo = ClientSocketTests.Inbox()
        echo.take(socket, "echo-back")
        let firstID = try await socket.connect(auth: ["token": "abc"])

        io.engine.closeAll(reason: .forcedClose)
        // Over polling the loss shows as "transport error" when no long-poll was waiting for the
        // close packet (the next poll gets 400); either way it is a transport loss, not a disconnect.
        #expect(await eventually { [[.transportClose], [.transportError]].contains(reasons.withLockedValue { $0 }) })
        try socket.emit("echo", ["sent while away"])        // kept until the socket is back
        #expect(await eventually { socket.connected })
        #expect(reconnected.withLockedValue { $0 } == [1])
        #expect(socket.id != nil && socket.id != firstID)
        #expect(await echo.first() == ["sent while away"])
        #expect(try await socket.emitWithAck("ack-me", ["back"]) == ["back"])
        // The server sees the socket again, with the same auth.
        let again = try #require(io.of("/").socket(id: socket.id!))
        #expect(again.handshake.auth == ["token": "abc"])
    }

    @Test("when the server is gone for good, the attempts run out and the manager says so")
    func givesUp() async throws {
        let (_, http) = try await ClientSocketTests.server()
        let attempts = NIOLockedValueBox<[Int]>([])
        let failed = NIOLockedValueBox(false)
        let manager = SocketManager(
            configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
            reconnection: ReconnectionOptions(attempts: 3, delayMilliseconds: 20, maxDelayMilliseconds: 50),
            group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        manager.onReconnectAttempt { n in attempts.withLockedValue { $0.append(n) } }
        manager.onReconnectFailed { failed.withLockedValue { $0 = true } }
        let socket = manager.socket()
        try await socket.connect()
        await http.shutdown()
        #expect(await eventually(within: 10) { failed.withLockedValue { $0 } })
        #expect(attempts.withLockedValue { $0 } == [1, 2, 3])
        #expect(!socket.connected)
    }

    @Test("close() means no reconnection")
    func closeOnPurpose() async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(
            configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
            reconnection: ReconnectionOptions(delayMilliseconds: 20, maxDelayMilliseconds: 50),
            group: MultiThreadedEventLoopGroup.singleton)
        let attempts = NIOLockedValueBox(0)
        manager.onReconnectAttempt { _ in attempts.withLockedValue { $0 += 1 } }
        let socket = manager.socket()
        let reasons = NIOLockedValueBox<[ClientDisconnectReason]>([])
        socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason) } }
        try await socket.connect()
        manager.close()
        #expect(await eventually { reasons.withLockedValue { $0 } == [.ioClientDisconnect] })
        #expect(await eventually { io.of("/").socketCount == 0 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(attempts.withLockedValue { $0 } == 0)
    }
}
