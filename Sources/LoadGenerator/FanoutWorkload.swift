import Foundation
import SocketIOClient

/// `fanout`: N receivers in a namespace; one emitter sends messages the server broadcasts to all
/// the others (the demo's "chat"). Measures deliveries per second and the server's CPU per delivery.
public struct FanoutWorkload: Sendable {
    public var receivers: Int
    public var messages: Int
    public var event: String
    public var payloadBytes: Int
    /// Messages the emitter sends before pausing for deliveries to catch up, so nothing overflows.
    public var window: Int

    public static let defaultWindow = 20

    public init(receivers: Int, messages: Int, event: String = "chat", payloadBytes: Int = 16, window: Int = defaultWindow) {
        self.receivers = receivers
        self.messages = messages
        self.event = event
        self.payloadBytes = payloadBytes
        self.window = window
    }

    public struct Result: Sendable {
        public var deliveries: Int
        public var expected: Int
        public var seconds: Double
        public var generatorCPU: Double
        public var server: ServerUse?
        public var deliveriesPerSecond: Double { Double(deliveries) / seconds }
        /// Server CPU time per delivery, in microseconds.
        public var serverMicrosecondsPerDelivery: Double? {
            server.map { $0.cpu * seconds / Double(max(1, deliveries)) * 1e6 }
        }
    }

    public func run(_ target: BenchTarget, serverPID: Int32? = nil) async throws -> Result {
        var connections: [(SocketManager, ClientSocket)] = []
        defer { for (manager, _) in connections { manager.close() } }
        let delivered = Counter()
        for _ in 0..<receivers {
            let connection = try await target.connect()
            connection.1.on(event) { _ in delivered.add() }
            connections.append(connection)
        }
        let emitter = try await target.connect()
        connections.append(emitter)
        let payload = BenchTarget.payload(bytes: payloadBytes)
        let progress = Progress { "fanout: \(delivered.current) of \(receivers * messages) delivered" }
        defer { progress.stop() }
        let serverBefore = serverPID.flatMap(ProcessSample.of)
        let selfBefore = ProcessSample.current
        let clock = ContinuousClock()
        let start = clock.now
        let expected = receivers * messages
        var sent = 0
        while sent < messages {
            for _ in 0..<min(window, messages - sent) {
                try emitter.1.emit(event, [payload])
                sent += 1
            }
            // Wait until most of what was sent has arrived (bounded: a lost delivery cannot stall us).
            let target = receivers * max(0, sent - window / 2)
            let waitUntil = clock.now.advanced(by: .seconds(10))
            while delivered.current < target && clock.now < waitUntil { try await Task.sleep(for: .microseconds(200)) }
        }
        let waitUntil = clock.now.advanced(by: .seconds(10))
        while delivered.current < expected && clock.now < waitUntil { try await Task.sleep(for: .milliseconds(1)) }
        let elapsed = (clock.now - start).seconds
        return Result(deliveries: delivered.current, expected: expected, seconds: elapsed,
                      generatorCPU: (ProcessSample.current.cpuSeconds - selfBefore.cpuSeconds) / elapsed,
                      server: ServerUse(before: serverBefore, after: serverPID.flatMap(ProcessSample.of), seconds: elapsed))
    }
}
