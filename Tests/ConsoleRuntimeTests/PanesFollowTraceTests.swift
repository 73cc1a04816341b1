import ConsoleModel
import ConsoleRuntime
import Foundation
import SocketIOServer
import Testing

/// With the reconciliation turned off after the first turn, the namespaces, sockets and middleware
/// panes change only by trace events and the clients' reports, and still show what the cores'
/// tables say.
@Suite("console runtime: the panes follow the trace", .serialized)
struct PanesFollowTraceTests {
    /// The snapshot with what only a table read or only the trace knows set aside: connect times
    /// (the trace stamps its own clock) and row order.
    static func comparable(_ snapshot: ConsoleSnapshot) -> ConsoleSnapshot {
        var copy = snapshot
        copy.sockets = copy.sockets.map { var s = $0; s.connectedAt = 0; return s }
            .sorted { ($0.side.rawValue, $0.namespace, $0.id) < ($1.side.rawValue, $1.namespace, $1.id) }
        copy.namespaces.sort { $0.name < $1.name }
        return copy
    }

    static func matchesTheTables(_ h: ConsoleHarness) -> Bool { difference(h) == nil }

    /// What the trace-built snapshot and a table read disagree on, row by row.
    static func difference(_ h: ConsoleHarness) -> String? {
        let built = comparable(h.state.snapshot), read = comparable(h.reader.read())
        guard built != read else { return nil }
        var lines: [String] = []
        if built.namespaces != read.namespaces { lines.append("namespaces: \(built.namespaces) vs \(read.namespaces)") }
        if built.parents != read.parents { lines.append("parents: \(built.parents) vs \(read.parents)") }
        for row in Set(built.sockets).symmetricDifference(read.sockets) {
            lines.append((built.sockets.contains(row) ? "only traced: " : "only read: ") + "\(row)")
        }
        return lines.joined(separator: "\n")
    }

    /// Turns the loop until the two agree; says how they differ when they never do.
    static func agree(_ h: ConsoleHarness, _ comment: String) async {
        let agreed = await h.run(until: matchesTheTables)
        #expect(agreed, Comment(rawValue: comment + ": " + (difference(h) ?? "")))
    }

    @Test("connects, refusals, rooms, overrides, disconnects and a new namespace reach the panes without a table read")
    func panesFollowTheTrace() async throws {
        let h = try await ConsoleHarness.start(reconcileInterval: .infinity)
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        await Self.agree(h, "after the demo clients")
        #expect(h.state.snapshot.sockets.filter { $0.side == .server }.count == 4)
        #expect(h.state.snapshot.sockets.contains { $0.side == .client && $0.state == .refused && $0.note.contains("forbidden") })

        let socket = try #require(h.io.of("/").sockets.first)
        #expect(await h.keys(":join \(socket.id) lobby", enter: true) { h in
            h.state.snapshot.sockets.first { $0.id == socket.id }?.rooms == ["lobby"]
        })
        await Self.agree(h, "after a join")
        #expect(await h.keys(":reject /admin auth closed", enter: true) { h in
            h.state.snapshot.namespaces.first { $0.name == "/admin" }?.middleware.first?.forced == .reject(message: "closed", data: nil)
        })
        #expect(await h.run { $0.screen.contains("closed") })
        #expect(await h.keys(":spawn 1 /ws-7", enter: true) { h in
            h.state.snapshot.namespaces.contains { $0.name == "/ws-7" && $0.socketCount == 1 }
        })
        await Self.agree(h, "after a spawn into a dynamic namespace")
        let client = try #require(h.clients.all.first { $0.namespace == "/ws-7" }?.name)
        #expect(await h.keys(":disconnect \(client)", enter: true) { h in
            !h.state.snapshot.sockets.contains { $0.id == client }
                && (h.state.snapshot.namespaces.first { $0.name == "/ws-7" }?.socketCount ?? 0) == 0
        })
        await Self.agree(h, "after a disconnect")
    }

    @Test("events the full queue dropped are made good by a table read at once")
    func droppedEventsAreReconciled() async throws {
        let h = try await ConsoleHarness.start(reconcileInterval: .infinity, queueCapacity: 4)
        defer { Task { await h.stop() } }
        #expect(await h.waitForDemoClients())
        await Self.agree(h, "after the demo clients, through a queue of 4")
        #expect(h.state.queueDropped > 0)
        #expect(h.state.snapshot.sockets.filter { $0.side == .server }.count == 4)
    }
}
