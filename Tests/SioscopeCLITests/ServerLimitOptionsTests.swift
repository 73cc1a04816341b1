import ArgumentParser
import EngineIOServer
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
    }

    @Test("values that would leave no room are refused with the option's name", arguments: [
        (["--max-connections", "0"], "--max-connections"),
        (["--max-header-bytes", "100"], "--max-header-bytes"),
        (["--max-header-fields", "3"], "--max-header-fields"),
        (["--header-timeout", "0"], "--header-timeout"),
        (["--max-outbound-buffer", "10"], "--max-outbound-buffer"),
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
