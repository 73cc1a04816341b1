import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import Testing

/// The Socket.IO client against python-socketio's server (aiohttp, from PyPI), in every mode.
@Suite("Socket.IO client with python-socketio's server", .serialized)
struct PythonServerInteropTests {
    @Test("auth, events, acks both ways, binary both ways, connect_error with data",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket, .upgrade])
    func conversation(_ mode: EngineClientConfiguration.Mode) async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: mode),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        let welcome = ClientSocketTests.Inbox(), echo = ClientSocketTests.Inbox(), answer = ClientSocketTests.Inbox()
        welcome.take(socket, "welcome")
        echo.take(socket, "echo-back")
        answer.take(socket, "answer")
        socket.on("question") { event in event.ack?(["because", event.arguments.first ?? .null]) }
        try await socket.connect(auth: ["token": "abc"])
        #expect(await welcome.first() == [["token": "abc"]])
        try socket.emit("echo", [1, "two ✓", ["three": [3, nil, true]], .binary([0, 1, 254, 255])])
        #expect(await echo.first() == [1, "two ✓", ["three": [3, nil, true]], .binary([0, 1, 254, 255])])
        #expect(try await socket.emitWithAck("ack-me", ["a", 2]) == ["a", 2])
        try socket.emit("ask")
        #expect(await answer.first() == ["because", "why?"])

        await #expect(throws: SocketConnectError.refused(message: "forbidden", data: ["reason": "no token"])) {
            try await manager.socket("/admin").connect(auth: ["token": "nope"])
        }
        try await manager.socket("/admin").connect(auth: ["token": "secret"])
        #expect(try await manager.socket("/admin").emitWithAck("delete user", [7]) == ["ok", 7])
    }

    @Test("the client answers python-socketio's pings: still connected after several ping intervals")
    func heartbeat() async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: .upgrade),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        try await socket.connect()
        try await Task.sleep(for: .milliseconds(2_500))   // pingInterval is 1 s on that server
        #expect(socket.connected)
        #expect(try await socket.emitWithAck("ack-me", ["still here"]) == ["still here"])
    }
}
