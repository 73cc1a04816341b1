import ArgumentParser
import EngineIOServer
import Scenarios
import Testing
@testable import sioscope

@Suite("the embedded server's limit options")
struct ServerLimitOptionsTests {
    @Test("each option sets its limit; the rest keep ListenerLimits' defaults")
    func parsed() throws {
        let options = try ServerLimitOptions.parse(["--max-connections", "50", "--max-header-bytes", "4096",
                                                    "--max-header-fields", "64", "--header-timeout", "2.5"])
        let limits = options.listener
        #expect(limits.maxConnections == 50)
        #expect(limits.maxHeaderBytes == 4_096)
        #expect(limits.maxURLBytes == 4_096)  // a URL never exceeds the head it is part of
        #expect(limits.maxHeaderFields == 64)
        #expect(limits.headerTimeout == .milliseconds(2_500))
        #expect(limits.keepAliveTimeout == ListenerLimits().keepAliveTimeout)
        #expect(try ServerLimitOptions.parse([]).listener == ListenerLimits())
        #expect(try ServerLimitOptions.parse(["--max-url-bytes", "2048"]).listener.maxURLBytes == 2_048)
        #expect(try ServerLimitOptions.parse(["--max-url-bytes", "9000", "--max-header-bytes", "4096"]).listener.maxURLBytes == 4_096)
    }

    @Test("the session and packet options land in the scenario; unset ones leave it as it was")
    func scenario() throws {
        var scenario = Scenario.demo
        scenario.socketLimits.maxDepth = 20
        try ServerLimitOptions.parse(["--max-attachments", "2", "--max-outbound-buffer", "65536"]).apply(to: &scenario)
        #expect(scenario.socketLimits.maxAttachments == 2)
        #expect(scenario.socketLimits.maxDepth == 20)
        #expect(scenario.engine.maxOutboundBufferBytes == 65_536)
        try ServerLimitOptions.parse(["--max-depth", "8"]).apply(to: &scenario)
        #expect(scenario.socketLimits.maxDepth == 8 && scenario.socketLimits.maxAttachments == 2)
    }

    @Test("values that would leave no room are refused with the option's name", arguments: [
        (["--max-connections", "0"], "--max-connections"),
        (["--max-header-bytes", "100"], "--max-header-bytes"),
        (["--max-header-fields", "3"], "--max-header-fields"),
        (["--header-timeout", "0"], "--header-timeout"),
        (["--max-outbound-buffer", "10"], "--max-outbound-buffer"),
        (["--max-url-bytes", "10"], "--max-url-bytes"),
        (["--max-attachments", "65"], "--max-attachments"),
        (["--max-attachments", "0"], "--max-attachments"),
        (["--max-depth", "0"], "--max-depth"),
        (["--max-depth", "513"], "--max-depth"),
    ])
    func refused(arguments: [String], option: String) {
        do {
            _ = try ServerLimitOptions.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(ServerLimitOptions.message(for: error).contains(option), "\(ServerLimitOptions.message(for: error))")
        }
    }
}
