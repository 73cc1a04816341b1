import Foundation
import NIOConcurrencyHelpers
import SocketIOServer
import Testing

/// Bad input sent over the wire: the server answers per spec, closes only the offending connection,
/// keeps serving everyone else, and a refused socket never sees namespace data.
@Suite("Socket.IO server under bad input")
struct HostileInputTests {
    /// A server whose handlers record what reached them.
    static func start() async throws -> (SocketIOServer, EngineHTTPServer, NIOLockedValueBox<[String]>) {
        let delivered = NIOLockedValueBox<[String]>([])
        // A short ping interval keeps every held long-poll short, far from the client's request timeout.
        let io = SocketIOServer(configuration: SocketIOServerConfiguration(engine: EngineServerConfiguration(pingInterval: 1_000)))
        io.onConnection { socket in
            socket.on("echo") { event in try? socket.emit("echo", event.arguments) }
        }
        let admin = io.of("/admin")
        admin.use("auth") { socket in
            guard socket.handshake.auth["token"] == "secret" else { throw ConnectError("forbidden", data: ["reason": "no token"]) }
        }
        admin.onConnection { socket in
            socket.on("echo") { event in
                delivered.withLockedValue { $0.append(socket.id) }
                try? socket.emit("echo", event.arguments)
            }
        }
        return (io, try await io.start(), delivered)
    }

    /// Socket.IO texts from the codec's bad-input table, and the spec's invalid payloads.
    static let malformed = [
        "7[\"a\"]", "2", "2{\"a\":1}", "2[]", "2[1]", "2[\"connect\"]", "3[]", "312{}", "0\"x\"", "4{\"message\":\"x\"}",
        "1/admin,{}", "012{}", "29007199254740992[\"a\"]", "2[\"a\"", "2[\"a\"]x", "2admin,[\"a\"]", "5[\"a\"]",
        "511-[\"a\"]", "51-[\"a\",{\"_placeholder\":true,\"num\":1}]", "52-[\"a\",{\"_placeholder\":true,\"num\":0}]",
        "2[\"a\nb\"]", "2[" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "]",
    ]

    @Test("a malformed Socket.IO packet closes only its own connection", arguments: malformed)
    func malformedPacket(_ text: String) async throws {
        let (_, http, _) = try await Self.start()
        defer { Task { await http.shutdown() } }
        let healthy = try await RawPolling.open(port: http.port!)
        try await healthy.post("40")
        #expect(try await healthy.messages().first?.hasPrefix("0{\"sid\":") == true)

        let bad = try await RawPolling.open(port: http.port!)
        try await bad.post("40")
        _ = try await bad.messages()
        try await bad.post("4" + text)
        // The offender's session is gone (the close packet, then unknown sid)...
        var status = 200
        for _ in 0..<3 where status == 200 { status = try await bad.poll().status }
        #expect(status == 400)
        // ...and the other client is still served.
        try await healthy.post("42[\"echo\",\"still here\"]")
        #expect(try await healthy.messages() == ["2[\"echo\",\"still here\"]"])
    }

    @Test("a refused socket gets CONNECT_ERROR with data and never sees namespace traffic")
    func refusedSeesNothing() async throws {
        let (io, http, delivered) = try await Self.start()
        defer { Task { await http.shutdown() } }
        let refused = try await RawPolling.open(port: http.port!)
        try await refused.post("40/admin,{\"token\":\"wrong\"}")
        #expect(try await refused.messages() == ["4/admin,{\"message\":\"forbidden\",\"data\":{\"reason\":\"no token\"}}"])
        // It tries anyway: its events are dropped, and broadcasts to /admin do not reach it.
        try await refused.post("42/admin,[\"echo\",\"sneaky\"]")
        let admitted = try await RawPolling.open(port: http.port!)
        try await admitted.post("40/admin,{\"token\":\"secret\"}")
        #expect(try await admitted.messages().first?.hasPrefix("0/admin,{\"sid\":") == true)
        #expect(try io.of("/admin").emit("news", ["for members"]) == 1)
        #expect(try await admitted.messages() == ["2/admin,[\"news\",\"for members\"]"])
        #expect(try await refused.messages(within: 1) == [])
        #expect(delivered.withLockedValue { $0 }.isEmpty)
    }

    @Test("an event before CONNECT ends the connection and is not delivered")
    func eventBeforeConnect() async throws {
        let (_, http, delivered) = try await Self.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        #expect(try await client.post("42[\"echo\",\"too early\"]") == 200)
        // The session is over. As on the reference server, what the client sends before its next GET
        // is taken and dropped; that GET gets the close packet; then it is an unknown sid.
        #expect(try await client.post("40") == 200)
        #expect(try await client.poll().packets.map(\.type) == [.close])
        #expect(try await client.post("40") == 400)
        #expect(delivered.withLockedValue { $0 }.isEmpty)
    }

    @Test("an unknown namespace gets the reference server's refusal")
    func unknownNamespace() async throws {
        let (_, http, _) = try await Self.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40/nowhere,")
        #expect(try await client.messages() == ["4/nowhere,{\"message\":\"Invalid namespace\"}"])
    }

    @Test("a binary attachment split across polls is joined; BINARY_EVENT echoes with its bytes")
    func binaryAcrossRequests() async throws {
        let (_, http, _) = try await Self.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        _ = try await client.messages()
        try await client.post("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]")
        try await client.post("bAQID")
        // Heartbeat pings may share the poll; the echo is what this test is about.
        var packets: [EnginePacket] = []
        while packets.count < 2 { packets += try await client.poll().packets.filter { $0.type != .ping } }
        #expect(packets == [.message("51-[\"echo\",{\"_placeholder\":true,\"num\":0}]"), .binary([1, 2, 3])])
    }
}
