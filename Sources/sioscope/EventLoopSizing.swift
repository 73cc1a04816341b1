import Foundation
import NIOCore

/// Event loops follow the CPUs this process may run on. NIO sizes its groups by the machine's cores
/// (or a cgroup quota), not by the affinity mask: pinned to one core with `taskset`, two loops
/// would share it and spend their time switching between each other.
enum EventLoopSizing {
    /// Must run before any event loop group is made (NIO takes the suggestion once).
    static func followCPUAffinity() {
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil,
              let allowed = allowedCPUs(), allowed < System.coreCount else { return }
        NIOSingletons.groupLoopCountSuggestion = allowed
    }

    /// The number of CPUs in this process's affinity mask (Linux: `Cpus_allowed` in /proc/self/status,
    /// a comma-separated hexadecimal mask), or nil where that is not known.
    static func allowedCPUs(status: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) -> Int? {
        guard let line = status?.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && !$0.isWhitespace }
        var count = 0
        for digit in mask {
            guard let value = digit.hexDigitValue else { return nil }
            count += value.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }
}
