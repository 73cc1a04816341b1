import EngineIOClient
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SocketIOClient

/// `ramp`: connect N clients (at most `concurrency` connecting at once), hold them, and measure.
public struct RampWorkload: Sendable {
    public var clients: Int
    public var concurrency: Int
    public var holdSeconds: Double

    public init(clients: Int, concurrency: Int = 50, holdSeconds: Double = 2) {
        self.clients = clients
        self.concurrency = concurrency
        self.holdSeconds = holdSeconds
    }

    public struct Result: Sendable {
        public var connected: Int
        public var errors: Int
        /// Why the first failed client failed, when one did.
        public var firstError: String?
        public var seconds: Double
        public var latency: LatencySummary
        public var generatorCPU: Double
        /// Server memory before the first client and with all of them held, when the pid was given.
        public var serverBefore: ProcessSample?
        public var serverHeld: ProcessSample?
        /// Clients still connected at the end of the hold (pings answered all along).
        public var stillConnected: Int
        /// What the server used while the clients connected, when the pid was given.
        public var serverConnecting: ServerUse?
        /// What the server used while it held them (heartbeats only), when the pid was given.
        public var serverHolding: ServerUse?
        public var connectsPerSecond: Double { Double(connected) / seconds }
        public var bytesPerConnection: Int? {
            guard let serverBefore, let serverHeld, connected > 0 else { return nil }
            return (serverHeld.residentBytes - serverBefore.residentBytes) / connected
        }
    }

    /// `whileHeld` runs once every client is connected and the hold is over, before they close.
    public func run(_ target: BenchTarget, serverPID: Int32? = nil, whileHeld: (@Sendable () async -> Void)? = nil) async -> Result {
        let serverBefore = serverPID.flatMap(ProcessSample.of)
        let latencies = LatencyRecorder()
        let errors = Counter()
        let held = HeldClients()
        defer { held.closeAll() }
        let progress = Progress { "ramp: \(latencies.count) connected, \(errors.current) errors" }
        let selfBefore = ProcessSample.current
        let clock = ContinuousClock()
        let start = clock.now
        // `concurrency` workers, each connecting one client after another on its own event loop
        // (the loops taken in turn) and running there itself: the generator's threads do not hand
        // each connection back and forth, and its clients are spread over the loops it has.
        let taken = Counter()
        let firstError = NIOLockedValueBox<String?>(nil)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(concurrency, clients) {
                let loop = MultiThreadedEventLoopGroup.singleton.next()
                group.addTask(executorPreference: LoopTaskExecutor(loop)) {
                    while taken.add() <= clients {
                        let began = clock.now
                        do {
                            let connection = try await target.connect(on: loop)
                            latencies.record((clock.now - began).seconds * 1000)
                            held.add(connection)
                        } catch {
                            errors.add()
                            firstError.withLockedValue { $0 = $0 ?? String(describing: error) }
                        }
                    }
                }
            }
        }
        let elapsed = (clock.now - start).seconds
        let serverConnecting = ServerUse(before: serverBefore, after: serverPID.flatMap(ProcessSample.of), seconds: elapsed)
        progress.stop()
        let generator = (ProcessSample.current.cpuSeconds - selfBefore.cpuSeconds) / elapsed
        let holdStart = (clock.now, serverPID.flatMap(ProcessSample.of))
        try? await Task.sleep(for: .milliseconds(Int(holdSeconds * 1000)))
        let serverHeld = serverPID.flatMap(ProcessSample.of)
        let serverHolding = ServerUse(before: holdStart.1, after: serverHeld, seconds: (clock.now - holdStart.0).seconds)
        await whileHeld?()
        return Result(connected: latencies.count, errors: errors.current, firstError: firstError.withLockedValue { $0 }, seconds: elapsed, latency: latencies.summary(),
                      generatorCPU: generator, serverBefore: serverBefore, serverHeld: serverHeld,
                      stillConnected: held.connectedCount, serverConnecting: serverConnecting, serverHolding: serverHolding)
    }
}

/// The clients a ramp keeps open.
final class HeldClients: Sendable {
    private let list = NIOLockedValueBox<[(SocketManager, ClientSocket)]>([])
    func add(_ c: (SocketManager, ClientSocket)) { list.withLockedValue { $0.append(c) } }
    var connectedCount: Int { list.withLockedValue { $0 }.filter { $0.1.connected }.count }
    func closeAll() { for (manager, _) in list.withLockedValue({ $0 }) { manager.close() } }
}
