import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import SocketIOTrace
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

    @Test("rooms: a message to a room reaches its members and no one else")
    func rooms() async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        func client() -> SocketManager {
            SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: .websocket),
                          group: MultiThreadedEventLoopGroup.singleton)
        }
        let (a, b, c) = (client(), client(), client())
        defer { [a, b, c].forEach { $0.close() } }
        let inB = ClientSocketTests.Inbox(), inC = ClientSocketTests.Inbox()
        inB.take(b.socket(), "room-said")
        inC.take(c.socket(), "room-said")
        for m in [a, b, c] { try await m.socket().connect() }
        #expect(try await a.socket().emitWithAck("join", ["blue"]) == ["blue"])
        #expect(try await b.socket().emitWithAck("join", ["blue"]) == ["blue"])
        #expect(try await c.socket().emitWithAck("join", ["red"]) == ["red"])
        try a.socket().emit("room-say", ["blue", "hi blue"])
        #expect(await inB.first() == ["hi blue"])
        _ = try await c.socket().emitWithAck("ack-me", [])   // c had every chance to receive it
        #expect(inC.events.withLockedValue { $0 }.isEmpty)
    }

    @Test("reconnects after python-socketio drops the connection, and rejoins with its auth")
    func reconnect() async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: .upgrade),
                                    reconnection: ReconnectionOptions(delayMilliseconds: 100, maxDelayMilliseconds: 300),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        let welcome = ClientSocketTests.Inbox()
        welcome.take(socket, "welcome")
        let reconnected = NIOLockedValueBox(0)
        manager.onReconnect { _ in reconnected.withLockedValue { $0 += 1 } }
        let first = try await socket.connect(auth: ["token": "again"])
        try socket.emit("drop-me")
        #expect(await eventually(within: 10) { reconnected.withLockedValue { $0 } == 1 && socket.connected })
        #expect(socket.id != first)
        #expect(await eventually { welcome.events.withLockedValue { $0 }.count == 2 })
        #expect(welcome.events.withLockedValue { $0 }.last == [["token": "again"]], "the server saw the same auth again")
        #expect(try await socket.emitWithAck("ack-me", ["back"]) == ["back"])
    }

    @Test("when the server disconnects the last namespace, the client closes the Engine.IO connection",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket, .upgrade])
    func lastNamespaceGone(_ mode: EngineClientConfiguration.Mode) async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        let closed = NIOLockedValueBox<[String]>([])
        let trace = ClosureTraceSink { event in
            if case .engineClosed(.client, _, let reason) = event { closed.withLockedValue { $0.append(reason) } }
        }
        let kicked = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: mode),
                                   group: MultiThreadedEventLoopGroup.singleton, trace: trace)
        defer { kicked.close() }
        let watcher = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: server.port, mode: mode),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { watcher.close() }
        try await watcher.socket().connect()
        let socket = kicked.socket()
        let reasons = NIOLockedValueBox<[ClientDisconnectReason]>([])
        socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason) } }
        try await socket.connect()
        #expect(try await watcher.socket().emitWithAck("engine-sessions") == [2])
        try socket.emit("kick-me")
        #expect(await eventually(within: 10) { closed.withLockedValue { $0 }.count == 1 })
        #expect(reasons.withLockedValue { $0 } == [.ioServerDisconnect])
        // The server sees the Engine.IO connection go, not only the namespace.
        var sessions: [JSONValue] = []
        for _ in 0..<100 {
            sessions = try await watcher.socket().emitWithAck("engine-sessions")
            if sessions == [1] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(sessions == [1])
        // A later connect opens a new connection.
        #expect(try await socket.connect() != "")
        #expect(try await socket.emitWithAck("ack-me", ["again"]) == ["again"])
    }

    @Test("a URL whose path is the namespace, as socket.io-client reads it (io(\"http://host/admin\"))")
    func urlForm() async throws {
        let server = try await PythonServer.start("socketio_server.py")
        defer { server.stop() }
        let url = try SocketIOURL("http://127.0.0.1:\(server.port)/admin")
        #expect(url.namespace == "/admin")
        #expect(url.configuration.path == "/socket.io/")
        let admin = SocketManager.socket(for: url, group: MultiThreadedEventLoopGroup.singleton)
        defer { admin.manager.close() }
        try await admin.connect(auth: ["token": "secret"])
        #expect(admin.namespace == "/admin")
        #expect(try await admin.emitWithAck("delete user", [7]) == ["ok", 7])
        let refused = SocketManager.socket(for: url, group: MultiThreadedEventLoopGroup.singleton)
        defer { refused.manager.close() }
        do {
            try await refused.connect()
            Issue.record("connected without the token")
        } catch {
            #expect(error == .refused(message: "forbidden", data: ["reason": "no token"]))
        }
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
