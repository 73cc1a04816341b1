import EngineIOServer
import Foundation
import ProtocolTestSupport
import Testing

/// python-engineio's client (from PyPI) against the server, in every transport mode.
@Suite("Engine.IO server with python-engineio", .serialized)
struct EngineInteropTests {
    @Test("echo of text, unicode and binary", arguments: [
        ("polling", "polling"), ("websocket", "websocket"), ("polling,websocket", "websocket"),
    ])
    func echo(_ transports: String, _ expectedTransport: String) async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("engineio_echo_client.py", [harness.base.replacingOccurrences(of: "/engine.io/", with: ""), transports])
        #expect(result["ok"] as? Bool == true)
        #expect(result["received"] as? [String] == ["hello", "héllo ✓ 😀", "0102ff"])
        #expect(result["transport"] as? String == expectedTransport)
        let sid = try #require(result["sid"] as? String)
        #expect(await harness.closeReason(of: sid) == .transportClose)
    }

    @Test("the client answers pings: still connected after several ping intervals", arguments: ["polling", "websocket"])
    func heartbeat(_ transport: String) async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", pingInterval: 200, pingTimeout: 2_000))
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("engineio_echo_client.py",
                                              [harness.base.replacingOccurrences(of: "/engine.io/", with: ""), transport, "1.2"])
        #expect(result["connected"] as? Bool == true)
        #expect(result["ok"] as? Bool == true)
    }
}
