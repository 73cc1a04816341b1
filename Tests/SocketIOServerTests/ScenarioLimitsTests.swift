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

    static func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }

    static func connected(_ http: EngineHTTPServer) async throws -> RawPolling {
        let client = try await RawPolling.open(port: http.port!)
        try await client.post("40")
        #expect(try await client.messages().first?.hasPrefix("0{\"sid\":") == true)
        return client
    }

    @Test("a packet past a scenario's bound closes its connection; one within it is answered", arguments: [
        // Three levels (the packet's array and two more) pass max-depth 3; four do not.
        ("set max-depth 3", "42[\"echo\",[[1]]]", "2[\"echo\",[[1]]]", "42[\"echo\",[[[1]]]]"),
        // The deepest any setting allows: parsed, echoed and released on the event loop's thread.
        ("set max-depth 512", "42[\"echo\",\(Self.nested(511))]", "2[\"echo\",\(Self.nested(511))]", "42[\"echo\",\(Self.nested(512))]"),
        ("set max-attachments 1", "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]\u{1e}bAQI=",
         "51-[\"echo\",{\"_placeholder\":true,\"num\":0}]",
         "452-[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"),
    ])
    func packetBounds(setting: String, within: String, answer: String, beyond: String) async throws {
        let (io, http) = try await Self.serve(setting)
        defer { Task { await http.shutdown() } }
        let client = try await Self.connected(http)
        try await client.post(within)
        #expect(try await client.messages() == [answer])
        try await client.post(beyond)
        #expect(await eventually { io.engine.session(id: client.sid)?.isClosed ?? true }, "\(setting): \(beyond)")
    }

    @Test("connect-timeout: a session that sends no CONNECT is closed after it, not before")
    func connectTimeout() async throws {
        let (io, http) = try await Self.serve("set connect-timeout 600")
        defer { Task { await http.shutdown() } }
        #expect(io.configuration.connectTimeout == 600)
        let start = ContinuousClock.now
        let client = try await RawPolling.open(port: http.port!)
        #expect(await eventually(within: 3) { io.engine.session(id: client.sid)?.isClosed ?? true })
        #expect(ContinuousClock.now - start >= .milliseconds(600))
        #expect(try await client.poll().packets.map(\.type) == [.close])
    }
}
