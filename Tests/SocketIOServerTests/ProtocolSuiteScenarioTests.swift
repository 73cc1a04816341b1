import Foundation
import Scenarios
import SocketIOServer
import ProtocolTestSupport
import Testing

/// The built-in protocol-suite scenario behaves as the published test suites expect, checked with
/// python-socketio and python-engineio.
@Suite("protocol-suite scenario", .serialized)
struct ProtocolSuiteScenarioTests {
    static func start() async throws -> EngineHTTPServer {
        let (_, engines) = try ScenarioRuntime.build(.protocolSuite, trace: nil)
        return try await EngineHTTPServer.start(servers: engines)
    }

    @Test("auth is echoed on connect; message-back and message-with-ack return the arguments, binary included",
          arguments: ["polling", "websocket", "polling,websocket"])
    func socketIO(_ transports: String) async throws {
        let http = try await Self.start()
        defer { Task { await http.shutdown() } }
        let result = try await PythonPeer.run("socketio_client.py", ["protocol-suite", "http://127.0.0.1:\(http.port!)", transports])
        #expect(result["auth"] as? NSArray == [["token": "123"]] as NSArray)
        #expect(result["customAuth"] as? NSArray == [[:] as [String: Any]] as NSArray)
        #expect(result["messageBack"] as? NSArray == [1, "2", ["3": 4], "01020304"] as NSArray)
        #expect(result["ack"] as? NSArray == [1, "2", ["3": 4]] as NSArray)
    }

    @Test("the bare Engine.IO server on /engine.io/ echoes", arguments: ["polling", "websocket"])
    func engineIO(_ transport: String) async throws {
        let http = try await Self.start()
        defer { Task { await http.shutdown() } }
        let result = try await PythonPeer.run("engineio_echo_client.py", ["http://127.0.0.1:\(http.port!)", transport])
        #expect(result["received"] as? [String] == ["hello", "héllo ✓ 😀", "0102ff"])
    }
}
