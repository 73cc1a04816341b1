import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient
import SocketIOServer
import Testing

/// `async` event handlers on both sides: they can await a round trip, and a socket's handlers run
/// one at a time in the order their events arrived.
@Suite("async event handlers")
struct AsyncHandlerTests {
    /// What the handlers did, in order.
    final class Log: Sendable {
        let entries = NIOLockedValueBox<[String]>([])
        func add(_ entry: String) { entries.withLockedValue { $0.append(entry) } }
        func wait(for count: Int, within seconds: Double = 10) async -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while entries.withLockedValue({ $0.count }) < count && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return entries.withLockedValue { $0 }
        }
    }

    static func number(_ arguments: [JSONValue]) -> String {
        if case .int(let n)? = arguments.first { return "\(n)" }
        return "\(arguments)"
    }

    static func connect(_ http: EngineHTTPServer) -> (SocketManager, ClientSocket) {
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
                                    group: MultiThreadedEventLoopGroup.singleton)
        return (manager, manager.socket())
    }

    @Test("server: each async handler awaits a round trip to the client, and the next starts only when it returns")
    func serverOrder() async throws {
        let io = SocketIOServer()
        let log = Log()
        io.onConnection { socket in
            socket.on("work") { event async in
                log.add("start \(Self.number(event.arguments))")
                let answer = (try? await socket.emitWithAck("question", event.arguments, timeout: .seconds(5))) ?? ["none"]
                log.add("end \(Self.number(answer))")
            }
            // An ack given after an await: the case that needed a hand-made Task before.
            socket.on("slow-ack") { event async in
                let answer = (try? await socket.emitWithAck("question", ["why?"], timeout: .seconds(5))) ?? ["none"]
                event.ack?(answer)
            }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let (manager, socket) = Self.connect(http)
        defer { manager.close() }
        socket.on("question") { event in event.ack?(event.arguments) }
        _ = try await socket.connect()
        for n in 0..<3 { try socket.emit("work", [.int(Int64(n))]) }
        #expect(await log.wait(for: 6) == ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"])
        #expect(try await socket.emitWithAck("slow-ack") == ["why?"])
    }

    @Test("client: async listeners run one at a time in arrival order, and can await the server's ack")
    func clientOrder() async throws {
        let io = SocketIOServer()
        io.onConnection { socket in
            socket.on("ack-me") { event in event.ack?(event.arguments) }
            socket.on("start") { _ in for n in 0..<3 { try? socket.emit("push", [.int(Int64(n))]) } }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let (manager, socket) = Self.connect(http)
        defer { manager.close() }
        let log = Log()
        socket.on("push") { event async in
            log.add("start \(Self.number(event.arguments))")
            let echoed = (try? await socket.emitWithAck("ack-me", event.arguments)) ?? ["none"]
            log.add("end \(Self.number(echoed))")
        }
        // A synchronous listener of the same event is not held up by the async ones.
        socket.on("push") { event in log.add("sync \(Self.number(event.arguments))") }
        _ = try await socket.connect()
        try socket.emit("start")
        let entries = await log.wait(for: 9)
        #expect(entries.filter { !$0.hasPrefix("sync") } == ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"])
        #expect(entries.filter { $0.hasPrefix("sync") } == ["sync 0", "sync 1", "sync 2"])
        // The three synchronous calls came before the first async one had its answer.
        #expect((entries.firstIndex(of: "sync 2") ?? .max) < (entries.firstIndex(of: "end 0") ?? .max))
    }
}
