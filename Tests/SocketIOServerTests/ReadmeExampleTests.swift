import SocketIOServer
import Testing

/// The README's library example, verbatim apart from the port, so it cannot drift out of date.
@Test("the README's server example builds, starts and refuses as documented")
func readmeExample() async throws {
    let io = SocketIOServer(configuration: .init(engine: .init(cors: CORSConfiguration(origins: .list(["http://localhost:8080"])))))

    io.of("/admin").use("auth") { socket in
        guard socket.handshake.auth["token"] == "secret" else {
            throw ConnectError("forbidden", data: ["reason": "no token"])
        }
    }
    io.onConnection { socket in
        socket.on("chat") { event in
            try? socket.broadcast.emit("chat", event.arguments)   // everyone else on "/"
            event.ack?(["delivered"])                                // if the client asked
        }
        socket.on("join") { event in
            if case .string(let room)? = event.arguments.first { socket.join(room) }
        }
    }
    let rooms = try io.of(regex: #"/room-\d+"#)                  // dynamic namespaces
    rooms.onConnection { socket in try? socket.emit("hello", [.string(socket.namespace.name)]) }

    io.of("/admin").setOverride(.reject(message: "maintenance", data: nil), for: "auth")  // at runtime
    let http = try await io.start(host: "127.0.0.1", port: 0)
    defer { Task { await http.shutdown() } }

    // The override wins over the rule, even with the right token.
    let client = try await RawPolling.open(port: http.port!)
    try await client.post("40/admin,{\"token\":\"secret\"}")
    #expect(try await client.messages() == ["4/admin,{\"message\":\"maintenance\"}"])
    io.of("/admin").setOverride(nil, for: "auth")
    try await client.post("40/admin,{\"token\":\"secret\"}")
    #expect(try await client.messages().first?.hasPrefix("0/admin,{\"sid\":") == true)
    #expect(io.namespaceNames == ["/", "/admin"])
}
