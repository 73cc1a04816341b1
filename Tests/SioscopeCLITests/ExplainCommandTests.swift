import Testing
import ArgumentParser
@testable import sioscope

@Suite("sioscope explain command")
struct ExplainCommandTests {
    @Test("a good packet explains and does not fail")
    func good() throws {
        let command = try Explain.parse(["42[\"chat\",\"hi\"]"])
        let (output, failed) = command.report(for: command.raw)
        #expect(!failed)
        #expect(output.contains("Socket.IO packet: EVENT on /"))
        #expect(output.contains("event \"chat\" with 1 argument"))
    }

    @Test("a bad packet fails and points at the byte")
    func bad() throws {
        let command = try Explain.parse(["42[\"chat\""])
        let (output, failed) = command.report(for: command.raw)
        #expect(failed)
        #expect(output.contains("error: Socket.IO: invalid payload: JSON ends too early (input 1, byte 9)"))
    }

    @Test("--json prints one JSON document")
    func json() throws {
        let command = try Explain.parse(["--json", "3"])
        let (output, _) = command.report(for: command.raw)
        #expect(output.hasPrefix("{\"inputs\":[{\"input\":\"3\",\"form\":\"websocket-frame\""))
    }

    @Test("bad arguments are refused before anything runs", arguments: [
        ["--max-depth", "0", "2"], ["--layer", "http", "2"], ["--max-attachments", "-1", "2"], [],
        // Deeper than the parser may recurse: 10,000 levels crashed explain before this refusal.
        ["--max-depth", "100000", "2"],
    ])
    func badArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Explain.parse(arguments) }
    }
}
