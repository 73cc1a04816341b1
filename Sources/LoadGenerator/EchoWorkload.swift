import Foundation
import NIOCore
import SocketIOClient

/// `echo`: C clients, each keeping K emits waiting for their ack, for T seconds.
public struct EchoWorkload: Sendable {
    public var clients: Int
    public var inFlight: Int
    public var seconds: Double
    public var event: String
    public var payloadBytes: Int
    /// How long an emit waits for its ack before it counts as an error.
    public var ackTimeoutSeconds = 10.0

    public init(clients: Int, inFlight: Int, seconds: Double, event: String = "ping-ack", payloadBytes: Int = 16) {
        self.clients = clients
        self.inFlight = inFlight
        self.seconds = seconds
        self.event = event
        self.payloadBytes = payloadBytes
    }

    public struct Result: Sendable {
        public var acks: Int
        public var errors: Int
        public var seconds: Double
        public var latency: LatencySummary
        public var generatorCPU: Double
        public var server: ServerUse?
        public var acksPerSecond: Double { Double(acks) / seconds }
    }

    public func run(_ target: BenchTarget, serverPID: Int32? = nil) async throws -> Result {
        var connections: [(SocketManager, ClientSocket)] = []
        defer { for (manager, _) in connections { manager.close() } }
        for _ in 0..<clients { connections.append(try await target.connect()) }
        let acks = Counter()
        let errors = Counter()
        let payload = BenchTarget.payload(bytes: payloadBytes)
        let progress = Progress { "echo: \(acks.current) acks, \(errors.current) errors" }
        defer { progress.stop() }
        let serverBefore = serverPID.flatMap(ProcessSample.of)
        let selfBefore = ProcessSample.current
        let clock = ContinuousClock()
        let start = clock.now
        // Per ack the time is read as plain nanoseconds (NIO's monotonic clock): Instant and
        // Duration arithmetic (128-bit attoseconds) showed in the generator's profile.
        let deadline = NIODeadline.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let chains = connections.flatMap { _, socket in (0..<inFlight).map { _ in EmitChain(socket: socket) } }
        // Each chain emits, and emits again from the ack callback, on the connection's event loop:
        // no task and no thread hop per ack, so the generator stays cheaper than the server. The
        // time an ack arrived is the time the next emit leaves (one clock reading per ack).
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let done = Counter()
            let arguments = [payload]
            let timeout = Duration.milliseconds(Int64(ackTimeoutSeconds * 1000))
            @Sendable func fire(_ chain: EmitChain, at sent: UInt64) {
                guard sent < deadline else {
                    if done.add() == chains.count { finished.resume() }
                    return
                }
                chain.socket.emitWithAck(event, arguments, timeout: timeout) { result in
                    let now = NIODeadline.now().uptimeNanoseconds
                    switch result {
                    case .success:
                        chain.record(Double(now &- sent) / 1e6)
                        acks.add()
                    case .failure: errors.add()
                    }
                    fire(chain, at: now)
                }
            }
            for chain in chains { fire(chain, at: NIODeadline.now().uptimeNanoseconds) }
        }
        let elapsed = (clock.now - start).seconds
        let selfAfter = ProcessSample.current
        // Every chain is done (the countdown handed their samples over).
        let latency = LatencySummary(of: chains.flatMap(\.latencies))
        return Result(acks: latency.count, errors: errors.current, seconds: elapsed, latency: latency,
                      generatorCPU: (selfAfter.cpuSeconds - selfBefore.cpuSeconds) / elapsed,
                      server: ServerUse(before: serverBefore, after: serverPID.flatMap(ProcessSample.of), seconds: elapsed))
    }
}

/// One emit waiting for its ack at a time on one connection, and the latencies it measured:
/// touched only from the connection's event loop, where its acks arrive, until the run is over.
/// The samples live in memory of its own: an array's uniqueness check on every append showed in
/// the generator's profile.
final class EmitChain: @unchecked Sendable {
    let socket: ClientSocket
    private var samples = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1024)
    private var count = 0

    init(socket: ClientSocket) {
        self.socket = socket
    }

    deinit {
        samples.deallocate()
    }

    func record(_ milliseconds: Double) {
        if count == samples.count {
            let larger = UnsafeMutableBufferPointer<Double>.allocate(capacity: samples.count * 2)
            _ = larger.initialize(fromContentsOf: samples)
            samples.deallocate()
            samples = larger
        }
        samples.initializeElement(at: count, to: milliseconds)
        count += 1
    }

    var latencies: [Double] { Array(samples[..<count]) }
}

/// What the server used during a workload, when its pid was given.
public struct ServerUse: Sendable {
    /// Cores busy on average (1.0 = one core all the time).
    public var cpu: Double
    public var residentBytes: Int
    public var residentGrowth: Int

    init?(before: ProcessSample?, after: ProcessSample?, seconds: Double) {
        guard let before, let after, seconds > 0 else { return nil }
        cpu = (after.cpuSeconds - before.cpuSeconds) / seconds
        residentBytes = after.residentBytes
        residentGrowth = after.residentBytes - before.residentBytes
    }
}
