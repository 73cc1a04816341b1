import Foundation
import SocketIOServer
import ProtocolTestSupport
import Testing

/// python-socketio's client (from PyPI) against the server, in all three transport modes.
@Suite("Socket.IO server with python-socketio", .serialized)
struct SocketInteropTests {
    static let modes = [("polling", "polling"), ("websocket", "websocket"), ("polling,websocket", "websocket")]

    @Test("auth, events, acks both ways, binary both ways", arguments: modes)
    func basic(_ transports: String, _ finalTransport: String) async throws {
        let (io, http) = try await ScenarioServer.start()
        defer { Task { await http.shutdown() } }
        let result = try await PythonPeer.run("socketio_client.py", ["basic", "http://127.0.0.1:\(http.port!)", transports])
        #expect((result["welcome"] as? [Any]).map { "\($0)" } == "\([["token": "abc"], "/"] as [Any])")
        #expect(result["echo"] as? NSArray == [1, "two ✓", ["three": [3, NSNull(), true]]] as NSArray)
        #expect(result["ack"] as? NSArray == ["a", 2] as NSArray)
        #expect(result["binary"] as? [String] == ["0001feff"])
        #expect(result["answer"] as? NSArray == ["forty-two", "why?"] as NSArray)
        #expect(result["transport"] as? String == finalTransport)
        _ = io
    }

    @Test("middleware refusal with data, admission, dynamic children, unknown namespaces", arguments: modes)
    func namespaces(_ transports: String, _ finalTransport: String) async throws {
        let (io, http) = try await ScenarioServer.start()
        defer { Task { await http.shutdown() } }
        let result = try await PythonPeer.run("socketio_client.py", ["namespaces", "http://127.0.0.1:\(http.port!)", transports])
        #expect(result["refused"] as? NSArray == [["message": "forbidden", "data": ["reason": "no token"]]] as NSArray)
        #expect(result["admitted"] as? [String] == ["admin"])
        #expect(result["dynamic"] as? [String] == ["/dyn-42"])
        #expect(result["unknown"] as? NSArray == [["message": "Invalid namespace"]] as NSArray)
        #expect(io.namespaceNames.contains("/dyn-42"))
    }

    @Test("rooms: a room broadcast reaches members but not the sender", arguments: modes)
    func rooms(_ transports: String, _ finalTransport: String) async throws {
        let (_, http) = try await ScenarioServer.start()
        defer { Task { await http.shutdown() } }
        let result = try await PythonPeer.run("socketio_client.py", ["rooms", "http://127.0.0.1:\(http.port!)", transports])
        #expect(result["member"] as? [String] == ["hello red"])
        #expect(result["sender"] as? String == "timeout")
    }
}
