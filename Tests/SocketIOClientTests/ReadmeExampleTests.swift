import NIOPosix
import SocketIOClient
import SocketIOServer
import Testing

/// The README's client example, against a server with the same /admin rule.
@Test("the README's client example connects, or reports connect_error with the middleware's data")
func readmeSocketClientExample() async throws {
    let io = SocketIOServer()
    io.of("/admin").use("auth") { socket in
        guard socket.handshake.auth["token"] == "secret" else { throw ConnectError("forbidden", data: ["reason": "no token"]) }
    }
    io.of("/admin").onConnection { socket in
        socket.on("delete user") { event in event.ack?(["ok"] + event.arguments) }
    }
    let http = try await io.start()
    defer { Task { await http.shutdown() } }

    let manager = SocketManager(configuration: try EngineClientConfiguration(url: "http://127.0.0.1:\(http.port!)", mode: .upgrade),
                                group: MultiThreadedEventLoopGroup.singleton)
    defer { manager.close() }
    let admin = manager.socket("/admin")
    do {
        try await admin.connect(auth: ["token": "secret"])
        let reply = try await admin.emitWithAck("delete user", [7], timeout: .seconds(5))
        #expect(reply == ["ok", 7])
    } catch SocketConnectError.refused(let message, let data) {
        Issue.record("refused: \(message) \(String(describing: data))")
    }
}
