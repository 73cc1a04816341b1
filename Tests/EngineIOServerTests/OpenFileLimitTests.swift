import EngineIOServer
import Foundation
import Testing

@Suite struct OpenFileLimitTests {
    @Test("the soft open-file limit read is the one the kernel reports for this process")
    func matchesProc() throws {
        let limits = try String(contentsOfFile: "/proc/self/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let soft = line.dropFirst("Max open files".count).split(separator: " ").first.map(String.init)
        #expect(OpenFileLimit.current.map(String.init) == soft)
    }
}
