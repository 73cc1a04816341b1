import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient
import SocketIOServer
import Testing

/// socket.io's `io.in(...)`, `io.except(...)`, `io.socketsJoin`, `io.fetchSockets` and
/// `io.disconnectSockets` on the main namespace, seen from two real clients.
@Suite("Socket.IO server: io-level shortcuts")
struct ServerShortcutsTests {
    @Test("socketsJoin, in/except, fetchSockets and disconnectSockets act on the main namespace")
    func shortcuts() async throws {
        let io = SocketIOServer()
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let group = MultiThreadedEventLoopGroup.singleton
        let configuration = EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket)
        let (first, second) = (SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: false), group: group),
                               SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: false), group: group))
        defer { first.close(); second.close() }
        let got = NIOLockedValueBox<[String]>([])
        let gone = NIOLockedValueBox<[String]>([])
        for (name, manager) in [("first", first), ("second", second)] {
            manager.socket().on("note") { event in got.withLockedValue { $0.append("\(name) \(event.arguments.first?.stringValue ?? "?")") } }
            manager.socket().onDisconnect { reason in gone.withLockedValue { $0.append("\(name) \(reason.rawValue)") } }
        }
        let firstID = try await first.socket().connect()
        let secondID = try await second.socket().connect()
        io.socketsJoin("everyone")
        #expect(Set(io.in("everyone").fetchSockets().map(\.id)) == [firstID, secondID])
        #expect(Set(io.fetchSockets().map(\.id)) == [firstID, secondID])
        #expect(try io.in("everyone").except(firstID).emit("note", ["only second"]) == 1)
        await Self.until { got.withLockedValue { $0.count } == 1 }
        #expect(got.withLockedValue { $0 } == ["second only second"])
        io.socketsLeave("everyone")
        #expect(io.in("everyone").fetchSockets().isEmpty)
        io.disconnectSockets()
        await Self.until { gone.withLockedValue { $0.count } == 2 }
        #expect(Set(gone.withLockedValue { $0 }) == ["first io server disconnect", "second io server disconnect"])
    }

    static func until(within seconds: Double = 5, _ condition: () -> Bool) async {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    }
}
