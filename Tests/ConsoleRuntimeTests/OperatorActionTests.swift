import ConsoleModel
import ConsoleRuntime
import Foundation
import SocketIOServer
import Testing

/// Every operator action through keys, in-process: the real cores on loopback, the console's loop
/// turned on a scripted terminal; each test checks the screen and the cores' state.
@Suite("console runtime: operator actions through keys", .serialized)
struct OperatorActionTests {
    static func messages(_ h: ConsoleHarness) -> [String] { h.state.messages.elements.map(\.text) }

    @Test("the demo's clients connect (one refused) and the panes show them")
    func demoClients() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.run { $0.screen.contains("cli REFU /admin") && $0.screen.contains("/ws-42") })
        #expect(h.screen.contains("auth ✗ forbidden"))
        #expect(h.io.of("/").socketCount == 2 && h.io.of("/admin").socketCount == 1)
        // Each connected client knows its socket on the server by id (not by parsing a display note).
        let connected = h.clients.all.filter { $0.state == .connected }
        #expect(connected.count == 4)
        #expect(connected.allSatisfy { c in c.socketID.flatMap { h.io.namespace(named: c.namespace)?.socket(id: $0) } != nil })
    }

    @Test("i: an emit from the server reaches the clients")
    func emitFromServer() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys("i") { $0.state.mode != .normal })
        #expect(await h.keys(#"to / hello-from-test {"n":1}"#, enter: true) { h in
            Self.messages(h).contains { $0.contains(#"emitted "hello-from-test" to /"#) }
        })
        // The two clients on / received it: their side of the trace has it inbound.
        #expect(await h.run { h in
            h.state.packets.elements.filter { $0.side == .client && $0.eventName == "hello-from-test" }.count == 2
        })
        #expect(await h.run { $0.screen.contains("hello-from-test") })
    }

    @Test(":emit to SOCKET ... --ack: the server asks one socket; no answer in time is an outcome beside that socket")
    func emitFromServerWithAck() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        let socket = try #require(h.io.of("/").sockets.first)
        // The simulated clients, like socket.io-client, answer only events they have a handler for.
        #expect(await h.keys(":emit to \(socket.id) are-you-there --ack --timeout 0.3", enter: true) { h in
            h.state.outcomes.elements.contains { outcome in
                if case .ackFailed("are-you-there", socket.id, let reason) = outcome { return reason == "operation has timed out" }
                return false
            }
        }, Comment(rawValue: "\(h.state.outcomes.elements) \(Self.messages(h).suffix(3))"))
        // The EVENT went out with an ack id to that socket's session.
        #expect(h.state.packets.elements.contains { $0.side == .server && $0.eventName == "are-you-there" && $0.ackID != nil
            && $0.sid == socket.engineID })
        #expect(h.state.outcomes.elements.last?.concerns(socket.id) == true)
    }

    @Test(":emit client ID EVENT: a simulated client emits; the server receives it and the demo broadcasts it to the other client")
    func emitFromClient() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        let name = try #require(h.clients.all.first { $0.namespace == "/" && $0.state == .connected }?.name)
        #expect(await h.keys(":emit client \(name) chat \"hi from the test\"", enter: true) { h in
            h.state.outcomes.elements.contains(.emitted(event: "chat", client: name, target: nil, count: nil))
        })
        #expect(await h.run { h in
            let chats = h.state.packets.elements.filter { $0.eventName == "chat" && $0.summary.contains("hi from the test") }
            return chats.contains { $0.side == .server && $0.direction == .inbound }
                && chats.contains { $0.side == .client && $0.direction == .inbound }
        })
    }

    @Test(":emit client ID ... --ack: a simulated client emits and the server's ack comes back to it")
    func emitFromClientWithAck() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        let name = try #require(h.clients.all.first { $0.namespace == "/" && $0.state == .connected }?.name)
        #expect(await h.keys(":emit client \(name) ping-ack 5 --ack", enter: true) { h in
            Self.messages(h).contains { $0.contains("ack from the server to \(name): [5]") }
        })
        // The outcome is a value the model keeps, reply and all.
        #expect(h.state.outcomes.elements.contains(.acked(event: "ping-ack", client: name, from: nil, reply: [5])))
    }

    @Test("1, j, r: forced reject on the selected namespace's first middleware, a client with the token refused; r again allows")
    func forceRejectByKeys() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        // The namespaces pane lists /, /admin, /ws-42: one down from the top is /admin.
        #expect(await h.keys("1") { $0.state.focus == .namespaces })
        h.terminal.press(.special(.home))
        #expect(await h.keys("j") { $0.state.selection[.namespaces] == 1 })
        #expect(await h.keys("r") { h in h.io.of("/admin").overrides["auth"] != nil })
        #expect(await h.keys(":connect /admin --auth {\"token\":\"secret\"}", enter: true) { h in
            h.clients.all.filter { $0.namespace == "/admin" && $0.state == .refused }.count == 2
        })
        #expect(await h.keys("1r") { h in h.io.of("/admin").overrides["auth"] == nil })
        #expect(await h.keys(":connect /admin --auth {\"token\":\"secret\"}", enter: true) { h in
            h.io.of("/admin").socketCount == 2
        })
    }

    @Test(":reject with a message and data: a refused client gets exactly those; :allow restores the rule")
    func forceRejectByCommand() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys(":reject /admin auth \"closed for now\" {\"code\":7}", enter: true) { h in
            h.io.of("/admin").overrides["auth"] != nil
        })
        #expect(await h.keys(":connect /admin --auth {\"token\":\"secret\"}", enter: true) { h in
            h.clients.all.contains { $0.namespace == "/admin" && $0.state == .refused && $0.note.contains("closed for now") }
        })
        #expect(await h.run { $0.screen.contains("closed for now") })
        #expect(h.state.outcomes.elements.contains { outcome in
            if case .clientRefused(_, "/admin", "closed for now", ["code": 7]) = outcome { return true }
            return false
        })
        #expect(await h.keys(":allow /admin auth", enter: true) { h in h.io.of("/admin").overrides["auth"] == nil })
        #expect(h.state.outcomes.last == .overridden(scope: "/admin", middleware: ["auth"], verdict: nil))
        #expect(await h.keys(":connect /admin --auth {\"token\":\"secret\"}", enter: true) { h in
            h.io.of("/admin").socketCount == 2
        })
    }

    @Test(":delay: the middleware waits before deciding")
    func delay() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys(":delay /admin auth 300ms", enter: true) { h in
            if case .delay? = h.io.of("/admin").overrides["auth"] { return true }
            return false
        })
        let before = h.state.decisions.count
        #expect(await h.keys(":connect /admin --auth {\"token\":\"secret\"}", enter: true) { h in
            h.state.decisions.elements.dropFirst(before).contains { $0.decision.middleware == "auth" && $0.decision.verdict == .allow }
        })
        let decided = h.state.decisions.elements.dropFirst(before).first { $0.decision.middleware == "auth" }
        #expect((decided?.decision.durationSeconds ?? 0) >= 0.3, "the middleware's own rule ran after the delay")
    }

    @Test("1, c: a simulated client connects to the selected namespace; :spawn N more; 2, x disconnects the selected one")
    func spawnAndDisconnect() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        h.terminal.type("1")
        h.terminal.press(.special(.home))
        #expect(await h.keys("c") { h in h.clients.all.count == 6 && h.io.of("/").socketCount == 3 })
        #expect(await h.keys(":spawn 2 / --transport websocket", enter: true) { h in
            h.clients.all.filter { $0.state == .connected }.count == 7 && h.io.of("/").socketCount == 5
        })
        // Whatever the top row of the sockets pane is (a server socket or a simulated client), x
        // ends one connection the server sees.
        let before = Self.serverSockets(h)
        h.terminal.type("2")
        h.terminal.press(.special(.home))
        #expect(await h.keys("x") { Self.serverSockets($0) == before - 1 })
        #expect(Self.messages(h).contains { $0.contains("disconnected") })
    }

    static func serverSockets(_ h: ConsoleHarness) -> Int {
        h.io.namespaceNames.compactMap { h.io.namespace(named: $0)?.socketCount }.reduce(0, +)
    }

    @Test(":drop cuts a client's connection: the server sees transport close; with --reconnect the client comes back")
    func dropAndReconnect() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys(":connect / --transport websocket --reconnect", enter: true) { h in
            h.clients.all.contains { $0.name == "c6" && $0.state == .connected }
        })
        let first = try #require(h.clients.client("c6")?.socketID)
        #expect(await h.keys(":drop c6", enter: true) { h in
            h.state.packets.elements.contains { $0.side == .server && $0.kind == .lifecycle(.disconnected) && $0.summary.contains(first)
                && $0.summary.contains("transport close") }
        })
        #expect(await h.run { h in
            guard let c6 = h.clients.client("c6"), let id = c6.socketID else { return false }
            return c6.state == .connected && id != first && h.io.of("/").socket(id: id) != nil
        })
        // The client's report reaches the panes on a later turn of the loop than the registry changed.
        #expect(await h.run { $0.state.snapshot.sockets.first { $0.id == "c6" }?.note.hasSuffix("again") == true })
    }

    @Test(":join and :leave move a server socket between rooms")
    func joinAndLeave() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        let socket = try #require(h.io.of("/").sockets.first)
        #expect(await h.keys(":join \(socket.id) lobby", enter: true) { _ in socket.rooms.contains("lobby") })
        #expect(await h.keys(":leave \(socket.id) lobby", enter: true) { _ in !socket.rooms.contains("lobby") })
    }

    @Test(":save writes the captured trace as JSON lines")
    func save() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sioscope-save-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(await h.keys(":save \(path)", enter: true) { h in Self.messages(h).contains { $0.hasPrefix("saved ") } })
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(h.state.outcomes.elements.contains(.saved(path: path, lines: lines.count)))
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test("/: a filter narrows the packets pane; esc clears it")
    func filter() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys("/nsp:/admin", enter: true) { $0.state.filter != .none })
        #expect(await h.run { $0.screen.contains("nsp:/admin") })
        #expect(h.state.packets.elements.contains { $0.namespace == "/admin" })
        h.terminal.press(.special(.escape))
        #expect(await h.run { $0.state.filter == .none })
    }

    @Test("p pauses capture and says so; p again resumes")
    func pause() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        #expect(await h.keys("p") { $0.state.paused })
        let seen = h.state.packets.count
        #expect(await h.keys(":emit hello-while-paused", enter: true) { h in h.state.pausedSkipped > 0 })
        #expect(h.state.packets.count == seen)
        #expect(await h.keys("p") { !$0.state.paused })
    }

    @Test("T moves to the next theme")
    func theme() async throws {
        let h = try await ConsoleHarness.start(themes: ["first", "second"])
        defer { Task { await h.stop() } }
        #expect(h.state.themeName == "first")
        #expect(await h.keys("T") { $0.state.themeName == "second" })
        #expect(await h.keys(":theme first", enter: true) { $0.state.themeName == "first" })
    }

    @Test("a bad command shows an error line and changes nothing")
    func badCommand() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.keys(":frobnicate now", enter: true) { h in h.state.messages.last?.isError == true })
        #expect(await h.run { $0.screen.contains("frobnicate") })
    }

    @Test("ctrl-z suspends and draws everything again after; ctrl-l and a resize redraw, in any mode")
    func suspendAndRedraw() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        h.terminal.press(.ctrl("z"))
        #expect(await h.run { $0.terminal.suspends == 1 && $0.terminal.invalidations == 1 })
        let frames = h.terminal.frames
        #expect(await h.run { $0.terminal.frames > frames })
        // On the bottom line the same keys still work, and the typed text stays.
        #expect(await h.keys(":emit x") { $0.state.mode != .normal })
        h.terminal.press(.ctrl("l"))
        h.terminal.press(.special(.resize))
        #expect(await h.run { $0.terminal.invalidations == 3 })
        #expect(h.state.input.text == "emit x")
        #expect(h.terminal.suspends == 1)
    }

    @Test("q quits: the loop stops turning")
    func quit() async throws {
        let h = try await ConsoleHarness.start()
        defer { Task { await h.stop() } }
        #expect(await h.keys("q") { $0.state.quitting })
        #expect(h.driver.step(on: h.terminal) == false)
    }
}
