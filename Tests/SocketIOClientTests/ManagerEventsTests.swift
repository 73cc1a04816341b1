import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient
import SocketIOServer
import Testing

/// The Engine.IO facts a client user reads without a trace: the handshake, and the manager's open,
/// upgrade, ping and close events (socket.io-client's `socket.io.on(...)` and `socket.io.engine`).
@Suite("Socket.IO client: Engine.IO facts")
struct ManagerEventsTests {
    final class Seen: Sendable {
        let events = NIOLockedValueBox<[String]>([])
        func add(_ event: String) { events.withLockedValue { $0.append(event) } }
        func count(_ event: String) -> Int { events.withLockedValue { $0.filter { $0 == event }.count } }
        /// Waits until `predicate` holds for what was seen, at most `seconds`.
        func wait(within seconds: Double = 10, until predicate: @escaping ([String]) -> Bool) async -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while !predicate(events.withLockedValue { $0 }) && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return events.withLockedValue { $0 }
        }
    }

    /// Pings every 150 ms, so a test sees several soon; a 2 s timeout, so a loaded machine does not
    /// drop the session.
    static func server() async throws -> (SocketIOServer, EngineHTTPServer) {
        let io = SocketIOServer(configuration: SocketIOServerConfiguration(
            engine: EngineServerConfiguration(pingInterval: 150, pingTimeout: 2000)))
        io.onConnection { socket in socket.on("close me") { _ in socket.disconnect(close: true) } }
        return (io, try await io.start())
    }

    static func manager(_ http: EngineHTTPServer, seen: Seen, mode: EngineClientConfiguration.Mode = .upgrade) -> SocketManager {
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: mode),
                                    reconnection: ReconnectionOptions(enabled: false), group: MultiThreadedEventLoopGroup.singleton)
        manager.onOpen { handshake in seen.add("open \(handshake.pingInterval)/\(handshake.pingTimeout)/\(handshake.maxPayload ?? -1)") }
        manager.onUpgrade { transport in seen.add("upgrade \(transport)") }
        manager.onPing { seen.add("ping") }
        manager.onClose { reason in seen.add("close \(reason.rawValue)") }
        return manager
    }

    @Test("open with the handshake, upgrade, pings; the last namespace leaving closes with 'io client disconnect'")
    func lifecycle() async throws {
        let (_, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let seen = Seen()
        let manager = Self.manager(http, seen: seen)
        defer { manager.close() }
        #expect(manager.handshake == nil)
        let socket = manager.socket()
        _ = try await socket.connect()
        let handshake = try #require(manager.handshake)
        #expect(handshake.sid == manager.sessionID)
        #expect(handshake.pingInterval == 150)
        #expect(handshake.pingTimeout == 2000)
        #expect(handshake.upgrades == ["websocket"])
        let early = await seen.wait { $0.contains("upgrade websocket") && $0.filter { $0 == "ping" }.count >= 2 }
        #expect(early.first == "open 150/2000/1000000")
        #expect(early.contains("upgrade websocket"))
        #expect(manager.transport == .websocket)
        #expect(seen.count("ping") >= 2)
        socket.disconnect()
        let all = await seen.wait { $0.contains { $0.hasPrefix("close") } }
        #expect(all.last == "close io client disconnect")
        #expect(all.filter { $0.hasPrefix("open") || $0.hasPrefix("close") }.count == 2)
        #expect(manager.handshake == nil)
    }

    @Test("the server closing the connection is a close event with its reason, and the handshake is gone",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket, .upgrade])
    func serverClose(_ mode: EngineClientConfiguration.Mode) async throws {
        let (_, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let seen = Seen()
        let manager = Self.manager(http, seen: seen, mode: mode)
        defer { manager.close() }
        let socket = manager.socket()
        _ = try await socket.connect()
        try socket.emit("close me")
        let all = await seen.wait { $0.contains { $0.hasPrefix("close") } }
        #expect(all.last { $0.hasPrefix("close") } == "close io server disconnect")
        #expect(manager.handshake == nil)
    }
}
