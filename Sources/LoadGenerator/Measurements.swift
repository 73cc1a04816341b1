import Foundation
import NIOConcurrencyHelpers
import Synchronization

/// Latencies in milliseconds, collected from many tasks, summarised at the end.
public final class LatencyRecorder: Sendable {
    private let samples = NIOLockedValueBox<[Double]>([])

    public init() {}

    public func record(_ milliseconds: Double) { samples.withLockedValue { $0.append(milliseconds) } }

    public var count: Int { samples.withLockedValue { $0.count } }

    public func summary() -> LatencySummary {
        LatencySummary(of: samples.withLockedValue { $0 })
    }
}

public struct LatencySummary: Sendable, Hashable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double
}

extension LatencySummary {
    /// The quantiles of `samples` (in an extension, so the memberwise initialiser stays).
    public init(of samples: [Double]) {
        let sorted = samples.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        self.init(count: sorted.count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.last ?? 0)
    }
}

/// A counter shared by many tasks. What a thread wrote before its `add` is visible to the thread
/// that reads the sum it made (acquire and release), so a countdown can hand over results.
public final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    /// Adds and returns the new value (one caller sees each value).
    @discardableResult
    public func add(_ n: Int = 1) -> Int { value.add(n, ordering: .acquiringAndReleasing).newValue }
    public var current: Int { value.load(ordering: .acquiring) }
}

/// CPU time and resident memory of a process, from /proc (Linux).
public struct ProcessSample: Sendable, Hashable {
    public var cpuSeconds: Double
    public var residentBytes: Int

    /// Another process by pid, or nil when it cannot be read.
    public static func of(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        // Fields after the command name (which may hold spaces) start after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let rssLine = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        let kib = rssLine.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return ProcessSample(cpuSeconds: (user + system) / ticks, residentBytes: kib * 1024)
    }

    /// This process.
    public static var current: ProcessSample {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return ProcessSample(cpuSeconds: cpu, residentBytes: of(pid: getpid())?.residentBytes ?? 0)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
