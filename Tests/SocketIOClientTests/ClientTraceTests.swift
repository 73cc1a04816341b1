import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import SocketIOServer
import Testing

/// The client reports what it sends and receives in the server's vocabulary, marked as the client
/// side, so the console can show one conversation from both ends.
@Suite("Client tracing")
struct ClientTraceTests {
    final class Recorder: TraceSink {
        let events = NIOLockedValueBox<[TraceEvent]>([])
        func record(_ event: TraceEvent) { events.withLockedValue { $0.append(event) } }
        var lines: [String] { events.withLockedValue { $0 }.map(\.textLine) }
    }

    @Test("both layers, both directions, lifecycle, through an upgrade", arguments: [EngineClientConfiguration.Mode.upgrade, .websocket])
    func traced(_ mode: EngineClientConfiguration.Mode) async throws {
        let serverTrace = Recorder()
        let io = SocketIOServer(trace: serverTrace)
        io.onConnection { socket in socket.on("ack-me") { event in event.ack?(event.arguments) } }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        let recorder = Recorder()
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: mode),
                                    group: MultiThreadedEventLoopGroup.singleton, trace: recorder)
        let socket = manager.socket()
        let id = try await socket.connect(auth: ["token": "t"])
        if mode == .upgrade {
            #expect(await eventually(within: 10) { recorder.lines.contains { $0.hasPrefix("client EIO upgraded") } })
        }
        #expect(await eventually { manager.transport == .websocket })
        #expect(manager.sessionID != nil)
        let reply = try await socket.emitWithAck("ack-me", [1, "two"], timeout: .seconds(5))
        #expect(reply == [1, "two"])
        socket.disconnect()
        manager.close()
        #expect(await eventually { recorder.lines.contains { $0.hasPrefix("client EIO closed") } })

        let lines = recorder.lines
        #expect(lines.first?.hasPrefix("client EIO open") == true, "\(lines.first ?? "")")
        #expect(lines.contains { $0.hasPrefix("client SIO out / CONNECT {\"token\":\"t\"}") })
        #expect(lines.contains { $0.hasPrefix("client SIO in  / CONNECT {\"sid\":\"\(id)\"}") })
        #expect(lines.contains { $0.hasPrefix("client socket connected    / \(id)") })
        #expect(lines.contains { $0.hasPrefix("client SIO out / EVENT id=0 [\"ack-me\",1,\"two\"]") })
        #expect(lines.contains { $0.hasPrefix("client SIO in  / ACK id=0 [1,\"two\"]") })
        #expect(lines.contains { $0.hasPrefix("client socket disconnected / \(id) (io client disconnect)") })
        #expect(lines.contains { $0.contains("client EIO out") && $0.hasSuffix("41") }, "the DISCONNECT frame")
        // The server saw the same packets the client says it sent.
        let serverLines = serverTrace.lines
        #expect(serverLines.contains { $0.hasPrefix("server SIO in  / EVENT id=0 [\"ack-me\",1,\"two\"]") })
    }
}
