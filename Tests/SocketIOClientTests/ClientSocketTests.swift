import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient
import SocketIOServer
import ProtocolTestSupport
import Testing

/// The Socket.IO client against the Socket.IO server, over real loopback sockets.
@Suite("Socket.IO client")
struct ClientSocketTests {
    static func server(port: Int = 0) async throws -> (SocketIOServer, EngineHTTPServer) {
        let io = SocketIOServer()
        io.onConnection { socket in
            try? socket.emit("welcome", [.object(socket.handshake.auth)])
            socket.on("echo") { event in try? socket.emit("echo-back", event.arguments) }
            socket.on("ack-me") { event in event.ack?(event.arguments) }
            socket.on("ask") { _ in
                Task {
                    let reply = (try? await socket.emitWithAck("question", ["why?"], timeout: .seconds(5))) ?? ["none"]
                    try? socket.emit("answer", reply)
                }
            }
            socket.on("kick me") { _ in socket.disconnect() }
        }
        io.of("/admin").use("auth") { socket in
            guard socket.handshake.auth["token"] == "secret" else { throw ConnectError("forbidden", data: ["reason": "no token"]) }
        }
        return (io, try await io.start(port: port))
    }

    /// Collects events of one name, for awaiting.
    final class Inbox: Sendable {
        let events = NIOLockedValueBox<[[JSONValue]]>([])
        func take(_ socket: ClientSocket, _ name: String) { socket.on(name) { [events] e in events.withLockedValue { $0.append(e.arguments) } } }
        func first(within seconds: Double = 5) async -> [JSONValue]? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let e = events.withLockedValue({ $0.first }) { return e }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
    }

    static let modes: [EngineClientConfiguration.Mode] = [.polling, .websocket, .upgrade]

    @Test("connect with auth, events, acks both ways, binary both ways", arguments: modes)
    func conversation(_ mode: EngineClientConfiguration.Mode) async throws {
        let (io, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: mode),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        let welcome = Inbox(), echo = Inbox(), answer = Inbox()
        welcome.take(socket, "welcome")
        echo.take(socket, "echo-back")
        answer.take(socket, "answer")
        socket.on("question") { event in event.ack?(["because", event.arguments.first ?? .null]) }
        // Emitted before connecting: kept, then sent in order once connected.
        try socket.emit("echo", ["early", .binary([1, 2, 3])])
        let id = try await socket.connect(auth: ["token": "abc"])
        #expect(id.count == 20)
        #expect(socket.connected)
        #expect(await welcome.first() == [["token": "abc"]])
        #expect(await echo.first() == ["early", .binary([1, 2, 3])])
        #expect(try await socket.emitWithAck("ack-me", ["x", 2, .binary([9])]) == ["x", 2, .binary([9])])
        try socket.emit("ask")
        #expect(await answer.first() == ["because", "why?"])
        #expect(io.of("/").socket(id: id) != nil)
    }

    @Test("a middleware refusal arrives as connect_error with message and data; a second namespace shares the connection")
    func namespaces() async throws {
        let (io, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        await #expect(throws: SocketConnectError.refused(message: "forbidden", data: ["reason": "no token"])) {
            try await manager.socket("/admin").connect(auth: ["token": "wrong"])
        }
        try await manager.socket("/admin").connect(auth: ["token": "secret"])
        try await manager.socket("/").connect()
        // Both namespaces over one Engine.IO session.
        let main = try #require(io.of("/").sockets.first)
        let admin = try #require(io.of("/admin").sockets.first)
        #expect(main.engineID == admin.engineID)
        #expect(io.engine.sessionCount == 1)
    }

    @Test("disconnect reasons: the server's and the client's")
    func disconnects() async throws {
        let (io, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .polling),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        let reasons = NIOLockedValueBox<[ClientDisconnectReason]>([])
        socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason) } }
        try await socket.connect()
        try socket.emit("kick me")
        #expect(await eventually { reasons.withLockedValue { $0 } == [.ioServerDisconnect] })
        #expect(!socket.connected)
        try await socket.connect()
        socket.disconnect()
        #expect(reasons.withLockedValue { $0 } == [.ioServerDisconnect, .ioClientDisconnect])
        #expect(await eventually { io.of("/").socketCount == 0 })
    }
}
