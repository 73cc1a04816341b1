import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOServer
import SocketIOTrace
import ProtocolTestSupport
import Testing

/// The server API's behaviour, driven over real polling connections.
@Suite("Socket.IO server API")
struct ServerAPITests {
    final class Recorder: Sendable {
        let events = NIOLockedValueBox<[TraceEvent]>([])
        var sink: ClosureTraceSink { ClosureTraceSink { [events] event in events.withLockedValue { $0.append(event) } } }
        var decisions: [MiddlewareDecision] {
            events.withLockedValue { $0.compactMap { if case .middleware(let d) = $0 { return d } else { return nil } } }
        }
    }

    @Test("a predicate parent creates children from the name and the auth; its middleware applies to them")
    func predicateParent() async throws {
        let recorder = Recorder()
        let io = SocketIOServer(trace: recorder.sink)
        let parent = io.of { name, auth in name.hasPrefix("/team-") && auth["member"] == true }
        parent.use("audit") { _ in }
        parent.onConnection { socket in try? socket.emit("hi", [.string(socket.namespace.name)]) }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }

        let member = try await RawPolling.open(port: http.port!)
        try await member.post("40/team-red,{\"member\":true}")
        let replies = try await member.messages()
        #expect(replies.first?.hasPrefix("0/team-red,{\"sid\":") == true)
        let outsider = try await RawPolling.open(port: http.port!)
        try await outsider.post("40/team-blue,{\"member\":false}")
        #expect(try await outsider.messages() == ["4/team-blue,{\"message\":\"Invalid namespace\"}"])
        #expect(io.namespaceNames == ["/", "/team-red"])
        #expect(recorder.decisions.map(\.middleware) == ["audit"])
        #expect(recorder.decisions.first?.namespace == "/team-red")
    }

    @Test("a delay override holds the connection, then the middleware's own rule decides")
    func delayOverride() async throws {
        let recorder = Recorder()
        let io = SocketIOServer(trace: recorder.sink)
        io.use("slow-gate") { _ in }
        io.of("/").setOverride(.delay(milliseconds: 300), for: "slow-gate")
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        #expect(try await client.messages().first?.hasPrefix("0{\"sid\":") == true)
        let decision = try #require(recorder.decisions.first)
        #expect(decision.verdict == .allow)
        #expect(decision.durationSeconds >= 0.3)
    }

    @Test("immediate middleware decide on the connection's event loop; overrides still apply")
    func immediateMiddleware() async throws {
        let recorder = Recorder()
        let io = SocketIOServer(trace: recorder.sink)
        // Whether each run of the rule was on an event loop thread (async middleware run in a task).
        let onLoop = NIOLockedValueBox<[Bool]>([])
        io.of("/").use(.immediate("gate") { socket in
            onLoop.withLockedValue { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
            guard socket.handshake.auth["token"] == "ok" else { throw ConnectError("no token", data: ["hint": "token"]) }
        })
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        func connect(_ auth: String) async throws -> String? {
            let client = try await RawPolling.open(port: http.port!)
            try await client.post("40" + auth)
            return try await client.messages().first
        }

        #expect(try await connect("{\"token\":\"ok\"}")?.hasPrefix("0{\"sid\":") == true)
        #expect(try await connect("") == "4{\"message\":\"no token\",\"data\":{\"hint\":\"token\"}}")
        io.of("/").setOverride(.delay(milliseconds: 50), for: "gate")
        #expect(try await connect("{\"token\":\"ok\"}")?.hasPrefix("0{\"sid\":") == true)
        io.of("/").setOverride(.reject(message: "closed", data: nil), for: "gate")
        #expect(try await connect("{\"token\":\"ok\"}") == "4{\"message\":\"closed\"}")

        #expect(onLoop.withLockedValue { $0 } == [true, true, false])
        #expect(recorder.decisions.map(\.verdict) == [.allow, .reject(message: "no token", data: ["hint": "token"]), .allow,
                                                     .reject(message: "closed", data: nil)])
        #expect(recorder.decisions.map(\.forced) == [false, false, false, true])
    }

    @Test("emitWithAck: the client's answer comes back; silence times out")
    func acks() async throws {
        let outcome = NIOLockedValueBox<[String]>([])
        let io = SocketIOServer()
        io.onConnection { socket in
            Task {
                do {
                    let answer = try await socket.emitWithAck("question", ["1?"], timeout: .milliseconds(2_000))
                    outcome.withLockedValue { $0.append("answer \(answer)") }
                    _ = try await socket.emitWithAck("ignored", [], timeout: .milliseconds(200))
                } catch {
                    outcome.withLockedValue { $0.append("error \(error)") }
                }
            }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        var seen: [String] = []
        for _ in 0..<5 where !seen.contains("20[\"question\",\"1?\"]") { seen += try await client.messages() }
        #expect(seen.contains("20[\"question\",\"1?\"]"))
        try await client.post("430[\"yes\"]")
        #expect(await eventually(within: 3) { outcome.withLockedValue { $0.count } == 2 })
        #expect(outcome.withLockedValue { $0 } == ["answer [\"yes\"]", "error operation has timed out"])
    }

    @Test("disconnect reasons: server namespace disconnect, client namespace disconnect, transport close")
    func disconnectReasons() async throws {
        let reasons = NIOLockedValueBox<[String]>([])
        let io = SocketIOServer()
        io.onConnection { socket in
            socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason.rawValue) } }
            socket.on("kick me") { _ in socket.disconnect() }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }

        let kicked = try await RawPolling.open(port: http.port!)
        try await kicked.post("40")
        _ = try await kicked.messages()
        try await kicked.post("42[\"kick me\"]")
        #expect(try await kicked.messages() == ["1"])
        #expect(await eventually(within: 3) { reasons.withLockedValue { $0 } == ["server namespace disconnect"] })

        let leaving = try await RawPolling.open(port: http.port!)
        try await leaving.post("40")
        _ = try await leaving.messages()
        try await leaving.post("41")
        #expect(await eventually(within: 3) { reasons.withLockedValue { $0.count } == 2 })

        let closing = try await RawPolling.open(port: http.port!)
        try await closing.post("40")
        _ = try await closing.messages()
        try await closing.post("1")
        #expect(await eventually(within: 3) { reasons.withLockedValue { $0.count } == 3 })
        #expect(reasons.withLockedValue { $0 } == ["server namespace disconnect", "client namespace disconnect", "transport close"])
        #expect(io.of("/").socketCount == 0)
    }

    @Test("rooms: socketsJoin, to/except chains, fetchSockets, disconnectSockets")
    func roomHelpers() async throws {
        let io = SocketIOServer()
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        var clients: [RawPolling] = []
        for _ in 0..<3 {
            let client = try await RawPolling.open(port: http.port!)
            try await client.post("40")
            _ = try await client.messages()
            clients.append(client)
        }
        let root = io.of("/")
        #expect(root.socketCount == 3)
        let sockets = root.fetchSockets().sorted { $0.id < $1.id }
        root.socketsJoin("all")
        sockets[0].join("vip")
        #expect(try root.to("all").emit("news") == 3)
        #expect(try root.to("all").except("vip").emit("news") == 2)
        #expect(try sockets[0].to("all").emit("from-vip") == 2)
        #expect(root.in("vip").fetchSockets().map(\.id) == [sockets[0].id])
        #expect(sockets[0].rooms == [sockets[0].id, "all", "vip"])
        root.to("vip").disconnectSockets()
        #expect(await eventually(within: 3) { root.socketCount == 2 })
        #expect(root.adapter.rooms.contains("vip") == false)
    }
}
