import EngineIOProtocol
import EngineIOServer
import Foundation
import ProtocolTestSupport
import Testing

/// WebSocket rules, checked with a raw WebSocket client (websocket-client from PyPI).
@Suite("Engine.IO server over WebSocket", .serialized)
struct WebSocketTests {
    @Test("a frame over maxHttpBufferSize closes the connection with 1009")
    func tooLarge() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", maxHttpBufferSize: 1_000))
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("ws_raw.py", ["too-large", harness.base])
        #expect(result["close"] as? Int == 1009)
    }

    @Test("a frame that is not Engine.IO closes that connection (1002) with parse error")
    func notEngineIO() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("ws_raw.py", ["not-engineio", harness.base])
        #expect(result["close"] as? Int == 1002)
        let sid = try #require(result["sid"] as? String)
        let reason = await harness.closeReason(of: sid)
        #expect(reason == .parseError, "\(String(describing: reason)) \(harness.closed.withLockedValue { $0 })")
    }

    @Test("after the upgrade: polling is 400, a second WebSocket is accepted and closed, the first keeps working")
    func upgradeRules() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("ws_raw.py", ["upgrade-rules", harness.base])
        #expect(result["probe"] as? String == "3probe")
        let poll = try #require(result["pollAfter"] as? [Any])
        #expect(poll.first as? Int == 400)
        #expect(poll.last as? String == EngineErrorCode.badRequest.jsonBody)
        #expect(result["second"] as? String == "closed")
        #expect(result["echo"] as? String == "4still")
    }

    @Test("a WebSocket for an unknown sid is 400 with code 1")
    func unknownSid() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("ws_raw.py", ["unknown-sid", harness.base])
        #expect(result["status"] as? Int == 400)
        #expect(result["body"] as? String == EngineErrorCode.sessionIDUnknown.jsonBody)
    }

    @Test("with origins configured, a WebSocket from another origin is refused")
    func origin() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(
            path: "/engine.io/", cors: CORSConfiguration(origins: .list(["http://app.test"]))))
        defer { Task { await harness.stop() } }
        let result = try await PythonPeer.run("ws_raw.py", ["origin", harness.base])
        #expect(result["http://app.test"] as? String == "accepted")
        #expect(result["http://evil.test"] as? Int == 403)
    }
}
