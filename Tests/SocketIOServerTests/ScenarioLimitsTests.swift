import Scenarios
import SocketIOServer
import ProtocolTestSupport
import Testing

/// A scenario's packet bounds and CONNECT deadline reach the running server (sioscope's
/// --max-attachments, --max-depth and the scenario file's settings land here too).
@Suite("scenario limits on the wire")
struct ScenarioLimitsTests {
    static func serve(_ text: String) async throws -> (SocketIOServer, EngineHTTPServer) {
        let scenario = try ScenarioFile.parse(text + "\nnamespace /\n  on echo emit echo args\n", file: "limits.scenario")
        let (io, engines) = try ScenarioRuntime.build(scenario, trace: nil)
        return (io, try await EngineHTTPServer.start(servers: engines))
    }

    static func connected(_ http: EngineHTTPServer) async throws -> RawPolling {
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        #expect(try await client.messages().first?.hasPrefix("0{\"sid\":") == true)
        return client
    }

    @Test("max-depth: a packet one level deeper than allowed closes its connection; one within is echoed")
    func depth() async throws {
        let (io, http) = try await Self.serve("set max-depth 3")
        defer { Task { await http.shutdown() } }
        #expect(io.configuration.limits.maxDepth == 3)
        let client = try await Self.connected(http)
        try await client.post("42[\"echo\",[[1]]]")   // three levels: the packet's array, two more
        #expect(try await client.messages() == ["2[\"echo\",[[1]]]"])
        try await client.post("42[\"echo\",[[[1]]]]")
        #expect(await eventually { io.engine.session(id: client.sid) == nil })
    }

    @Test("max-attachments: a binary packet declaring more closes its connection")
    func attachments() async throws {
        let (io, http) = try await Self.serve("set max-attachments 1")
        defer { Task { await http.shutdown() } }
        #expect(io.configuration.limits.maxAttachments == 1)
        let client = try await Self.connected(http)
        try await client.post("451-[\"echo\",{\"_placeholder\":true,\"num\":0}]\u{1e}bAQI=")
        #expect(try await client.messages() == ["51-[\"echo\",{\"_placeholder\":true,\"num\":0}]"])
        try await client.post("452-[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")
        #expect(await eventually { io.engine.session(id: client.sid) == nil })
    }

    @Test("connect-timeout: a session that sends no CONNECT is closed after it, not before")
    func connectTimeout() async throws {
        let (io, http) = try await Self.serve("set connect-timeout 600")
        defer { Task { await http.shutdown() } }
        #expect(io.configuration.connectTimeout == 600)
        let start = ContinuousClock.now
        let client = try await RawPolling.open(port: http.port!)
        #expect(await eventually(within: 3) { io.engine.session(id: client.sid) == nil })
        #expect(ContinuousClock.now - start >= .milliseconds(600))
    }
}
