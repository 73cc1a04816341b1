import SocketIOServer

extension Scenario {
    public static let builtIn: [Scenario] = [.demo, .protocolSuite, .tour]

    public static func builtIn(named name: String) -> Scenario? {
        builtIn.first { $0.name == name }
    }

    /// The default: a little of everything the Namespaces page of the socket.io docs shows.
    public static let demo = Scenario(
        name: "demo",
        summary: "a chat on /, an /admin namespace guarded by a token, dynamic /ws-* namespaces",
        engine: EngineServerConfiguration(cors: CORSConfiguration(origins: .any)),
        namespaces: [
            NamespaceSpec(
                .name("/"),
                middleware: [MiddlewareSpec("log", .allow)],
                onConnect: [.emit(event: "welcome", arguments: [.socketID, .socketCount])],
                events: [
                    "chat": [.broadcast(event: "chat", arguments: [.socketID, .arguments], room: nil, includeSender: false)],
                    "echo": [.emit(event: "echo", arguments: [.arguments])],
                    "ping-ack": [.ack([.arguments])],
                    "join": [.join(.argument(0)), .ack([.rooms])],
                    "leave": [.leave(.argument(0)), .ack([.rooms])],
                    "room-say": [.broadcast(event: "room-say", arguments: [.socketID, .argument(1)], room: .argument(0), includeSender: false)],
                ]),
            NamespaceSpec(
                .name("/admin"),
                middleware: [MiddlewareSpec("auth", .require(Condition(.auth(["token"]), .equals("secret")),
                                                             message: "forbidden", data: ["reason": "no token"]))],
                onConnect: [.emit(event: "welcome", arguments: [.literal("admin"), .socketID])],
                events: [
                    "delete user": [.ack([.literal("ok"), .argument(0)])],
                    "kick": [.disconnect],
                ]),
            NamespaceSpec(
                .regex(#"/ws-\w+"#),
                onConnect: [.emit(event: "welcome", arguments: [.namespace])],
                events: ["echo": [.emit(event: "echo", arguments: [.arguments])]]),
        ],
        // Two chatting on /, one admin with the token, one without (refused by the auth
        // middleware), one on a dynamic namespace.
        clients: [
            ClientSpec("ada", namespace: "/", auth: ["user": "ada"],
                       repeats: [.init(every: 3_000, .emit, "chat", [.literal(["text": "hello"]), .tick])]),
            ClientSpec("bob", namespace: "/", auth: ["user": "bob"], transport: .polling,
                       repeats: [.init(every: 6_000, .ask, "ping-ack", [.tick])]),
            ClientSpec("admin", namespace: "/admin", auth: ["token": "secret"], transport: .websocket),
            ClientSpec("intruder", namespace: "/admin", transport: .polling),
            ClientSpec("dynamic", namespace: "/ws-42"),
        ])

    /// The server the public Engine.IO v4 and Socket.IO v5 protocol test suites expect.
    public static let protocolSuite = Scenario(
        name: "protocol-suite",
        summary: "the server the published Engine.IO v4 and Socket.IO v5 test suites expect",
        engine: EngineServerConfiguration(pingInterval: 300, pingTimeout: 200, maxHttpBufferSize: 1_000_000,
                                          cors: CORSConfiguration(origins: .any)),
        // The suite's server closes a connection that sends no CONNECT within a second.
        connectTimeout: 1_000,
        engineEchoPath: "/engine.io/",
        namespaces: [
            NamespaceSpec(
                .name("/"),
                onConnect: [.emit(event: "auth", arguments: [.auth([])])],
                events: [
                    "message": [.emit(event: "message-back", arguments: [.arguments])],
                    "message-with-ack": [.ack([.arguments])],
                ]),
            NamespaceSpec(.name("/custom"), onConnect: [.emit(event: "auth", arguments: [.auth([])])]),
        ])

    /// The guided tour's server: the demo's namespaces and a predicate parent (`/team-*`), a
    /// heartbeat short enough to watch (a ping every 5 s, 4 s for the pong), and no clients of its
    /// own, so every packet on screen comes from a step.
    public static let tour: Scenario = {
        var scenario = demo
        scenario.name = "tour"
        scenario.summary = "the demo's namespaces, a 5 s heartbeat and no clients of its own: what sioscope tour runs"
        scenario.engine.pingInterval = 5_000
        scenario.engine.pingTimeout = 4_000
        scenario.clients = []
        // A predicate parent beside the demo's regex one, for the dynamic namespaces lesson.
        scenario.namespaces.append(NamespaceSpec(.prefix("/team-"), onConnect: [.emit(event: "welcome", arguments: [.namespace])]))
        return scenario
    }()
}
