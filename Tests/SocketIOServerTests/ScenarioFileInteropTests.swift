import Foundation
import Scenarios
import SocketIOServer
import ProtocolTestSupport
import Testing

/// The sample scenario file, served and driven by python-socketio: the file format end to end.
@Test("a scenario file runs: connect actions, emits, acks, rooms, asks, refusals, dynamic namespaces",
      .serialized, arguments: ["polling", "websocket"])
func scenarioFileEndToEnd(_ transport: String) async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let file = root.appendingPathComponent("ScenariosTests/sample.scenario")
    let scenario = try ScenarioFile.parse(try String(contentsOf: file, encoding: .utf8), file: file.path)
    let (io, engines) = try ScenarioRuntime.build(scenario, trace: nil)
    let http = try await EngineHTTPServer.start(servers: engines)
    defer { Task { await http.shutdown() } }
    let result = try await PythonPeer.run("socketio_client.py", ["sample-file", "http://127.0.0.1:\(http.port!)", transport])
    let welcome = try #require(result["welcome"] as? [Any])
    #expect(welcome.count == 2)
    #expect(welcome.last as? Int == 1)
    #expect(result["dynamic"] as? [String] == ["/ws-42"])
    #expect(result["echo"] as? NSArray == ["x", 1] as NSArray)
    #expect(result["pingAck"] as? NSArray == ["p", 2] as NSArray)
    #expect((result["joined"] as? [String]).map(Set.init) == Set([welcome.first as? String ?? "?", "red"]))
    #expect((result["said"] as? [String])?.last == "hi red")
    #expect(result["answer"] as? NSArray == ["because", "why?"] as NSArray)
    #expect(result["isConnected"] as? Bool == true)
    #expect(result["admin"] as? NSArray == [["message": "forbidden", "data": ["reason": "no token"]]] as NSArray)
    #expect(io.namespaceNames == ["/", "/admin", "/ws-42"])
}
