import Foundation
import NIOConcurrencyHelpers
import SocketIOClient

/// `soak`: many clients for a long time, mixing transports (polling, WebSocket, polling upgraded
/// to WebSocket), each emitting with acks and reconnecting now and then, while the server's memory
/// and file descriptors are sampled. Every emit carries its own number; its ack must come back
/// exactly once with that number. A client drains its emits before it reconnects, so nothing in
/// flight is ever abandoned on purpose: any emit without its ack is a loss.
public struct SoakWorkload: Sendable {
    public var clients: Int
    public var seconds: Double
    /// Emits per second of each client (one in flight at a time).
    public var emitsPerSecond: Double
    /// A client reconnects after about this long (each session lasts 0.5x to 1.5x of it).
    public var reconnectSeconds: Double
    public var event: String
    public var ackTimeoutSeconds = 30.0
    /// Clients connecting at once when the soak starts.
    public var rampConcurrency = 100

    public init(clients: Int, seconds: Double, emitsPerSecond: Double = 1, reconnectSeconds: Double = 60, event: String = "ping-ack") {
        self.clients = clients
        self.seconds = seconds
        self.emitsPerSecond = emitsPerSecond
        self.reconnectSeconds = reconnectSeconds
        self.event = event
    }

    public struct Result: Sendable {
        public var sent: Int
        public var acked: Int
        /// Emits whose ack never came (timed out, or the connection failed under them).
        public var lost: Int
        /// Acks that came a second time for the same emit.
        public var duplicated: Int
        /// Acks that carried another emit's number.
        public var mismatched: Int
        public var sessions: Int
        public var connectErrors: Int
        public var sessionsByTransport: [String: Int]
        public var seconds: Double
        public var latency: LatencySummary
        public var server: SoakServerSamples?
        public var clean: Bool { lost == 0 && duplicated == 0 && mismatched == 0 && connectErrors == 0 && acked == sent }
    }

    public func run(_ target: BenchTarget, serverPID: Int32? = nil) async -> Result {
        let sampler = serverPID.map { SoakSampler(pid: $0) }
        sampler?.sampleBaseline()
        let ledger = AckLedger()
        let latencies = LatencyRecorder()
        let counters = (sessions: Counter(), connectErrors: Counter())
        let transports = NIOLockedValueBox<[String: Int]>([:])
        let modes: [EngineClientConfiguration.Mode] = [.websocket, .polling, .upgrade]
        let progress = Progress {
            "soak: \(counters.sessions.current) sessions, \(ledger.acked) of \(ledger.sent) acks, \(ledger.lost) lost"
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        let samplerTask = Task {
            while !Task.isCancelled, clock.now < deadline {
                sampler?.samplePeak()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            let targets = modes.map { target.with(transport: $0) }
            for index in 0..<clients {
                let client = targets[index % targets.count]
                let stagger = Double(index / rampConcurrency) * 0.2
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int64(stagger * 1000)))
                    while clock.now < deadline {
                        let connection: (SocketManager, ClientSocket)
                        do {
                            connection = try await client.connect()
                        } catch {
                            counters.connectErrors.add()
                            try? await Task.sleep(for: .milliseconds(500))
                            continue
                        }
                        counters.sessions.add()
                        transports.withLockedValue { $0[client.transport.rawValue, default: 0] += 1 }
                        let length = reconnectSeconds * Double.random(in: 0.5...1.5)
                        let sessionEnd = min(deadline, clock.now.advanced(by: .milliseconds(Int64(length * 1000))))
                        while clock.now < sessionEnd {
                            let number = ledger.send()
                            let sent = clock.now
                            do {
                                let reply = try await connection.1.emitWithAck(event, [.int(Int64(number))],
                                                                                timeout: .milliseconds(Int64(ackTimeoutSeconds * 1000)))
                                latencies.record((clock.now - sent).seconds * 1000)
                                ledger.acknowledge(number, reply: reply)
                            } catch {
                                ledger.lose(number)
                            }
                            let pause = 1 / emitsPerSecond * Double.random(in: 0.5...1.5)
                            try? await Task.sleep(for: .milliseconds(Int64(pause * 1000)))
                        }
                        connection.0.close()
                    }
                }
            }
        }
        samplerTask.cancel()
        progress.stop()
        let elapsed = (clock.now - start).seconds
        // Every client is gone: give the server its heartbeat period to notice, then read it again.
        await sampler?.sampleAfter(settling: .seconds(5))
        return Result(sent: ledger.sent, acked: ledger.acked, lost: ledger.lost, duplicated: ledger.duplicated,
                      mismatched: ledger.mismatched, sessions: counters.sessions.current,
                      connectErrors: counters.connectErrors.current, sessionsByTransport: transports.withLockedValue { $0 },
                      seconds: elapsed, latency: latencies.summary(), server: sampler?.samples)
    }
}

/// Which emits were sent and how each was answered.
final class AckLedger: Sendable {
    private struct State {
        var next = 0
        var answered = Set<Int>()
        var lost = 0
        var duplicated = 0
        var mismatched = 0
    }
    private let state = NIOLockedValueBox(State())

    func send() -> Int { state.withLockedValue { s in s.next += 1; return s.next } }

    func acknowledge(_ number: Int, reply: [JSONValue]) {
        state.withLockedValue { s in
            guard reply == [.int(Int64(number))] else { s.mismatched += 1; return }
            if !s.answered.insert(number).inserted { s.duplicated += 1 }
        }
    }

    func lose(_ number: Int) { state.withLockedValue { $0.lost += 1 } }

    var sent: Int { state.withLockedValue { $0.next } }
    var acked: Int { state.withLockedValue { $0.answered.count } }
    var lost: Int { state.withLockedValue { $0.lost } }
    var duplicated: Int { state.withLockedValue { $0.duplicated } }
    var mismatched: Int { state.withLockedValue { $0.mismatched } }
}

/// The server's memory and open file descriptors: before, at their highest, and after the soak.
public struct SoakServerSamples: Sendable {
    public var baselineRSS = 0
    public var baselineFDs = 0
    public var peakRSS = 0
    public var peakFDs = 0
    public var afterRSS = 0
    public var afterFDs = 0
}

final class SoakSampler: Sendable {
    let pid: Int32
    private let box = NIOLockedValueBox(SoakServerSamples())

    init(pid: Int32) { self.pid = pid }

    var samples: SoakServerSamples { box.withLockedValue { $0 } }

    private func read() -> (rss: Int, fds: Int) {
        let rss = ProcessSample.of(pid: pid)?.residentBytes ?? 0
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
        return (rss, fds)
    }

    func sampleBaseline() {
        let now = read()
        box.withLockedValue { $0.baselineRSS = now.rss; $0.baselineFDs = now.fds; $0.peakRSS = now.rss; $0.peakFDs = now.fds }
    }

    func samplePeak() {
        let now = read()
        box.withLockedValue { $0.peakRSS = max($0.peakRSS, now.rss); $0.peakFDs = max($0.peakFDs, now.fds) }
    }

    /// Waits until the descriptors are back to the baseline (at most `settling`), then reads.
    func sampleAfter(settling: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + settling
        while clock.now < end, read().fds > samples.baselineFDs {
            try? await Task.sleep(for: .milliseconds(200))
        }
        let now = read()
        box.withLockedValue { $0.afterRSS = now.rss; $0.afterFDs = now.fds }
    }
}
