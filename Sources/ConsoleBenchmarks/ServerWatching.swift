import Synchronization
import ConsoleModel
import ConsoleRuntime
import ConsoleUI
import EngineIOClient
import Foundation
import NIOPosix
import SocketIOClient
import SocketIOServer
import TermUI

/// The embedded server's throughput with the console watching (trace queue, reducer, a frame
/// rendered 30 times a second on its own thread) against the same server headless.
enum ServerWatching {
    /// Acks per second: `clients` clients, each with `inFlight` emits waiting for an ack at all times.
    static func run(watched: Bool, clients: Int, inFlight: Int, seconds: Double) async throws -> (acksPerSecond: Double, uiFrames: Int) {
        let queue = TraceQueue()
        let io = SocketIOServer(trace: watched ? queue : nil)
        io.of("/").onConnection { socket in
            socket.on("echo") { event in event.ack?(event.arguments) }
        }
        let http = try await io.start(host: "127.0.0.1", port: 0)
        let watcher = watched ? Watcher(queue: queue) : nil
        watcher?.start()

        let group = MultiThreadedEventLoopGroup.singleton
        var sockets: [(SocketManager, ClientSocket)] = []
        for _ in 0..<clients {
            let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
                                        reconnection: ReconnectionOptions(enabled: false), group: group)
            let socket = manager.socket("/")
            try await socket.connect()
            sockets.append((manager, socket))
        }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        let acks = try await withThrowingTaskGroup(of: Int.self) { group in
            for (_, socket) in sockets {
                for _ in 0..<inFlight {
                    group.addTask {
                        var count = 0
                        while ContinuousClock.now < deadline {
                            _ = try await socket.emitWithAck("echo", [["n": .int(Int64(count))]], timeout: .seconds(10))
                            count += 1
                        }
                        return count
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        let frames = watcher?.stop() ?? 0
        for (manager, _) in sockets { manager.close() }
        await io.shutdown(http, gracePeriod: .zero)
        return (Double(acks) / seconds, frames)
    }

    /// The console's UI thread without a terminal: drain, reduce, render at 30 frames a second.
    final class Watcher: @unchecked Sendable {
        let queue: TraceQueue
        private let running = Mutex(true)
        private let done = DispatchSemaphore(value: 0)
        private var frames = 0

        init(queue: TraceQueue) { self.queue = queue }

        func start() {
            Thread {
                var state = AppState(endpoint: "bench", scenario: "watch")
                var lastDraw = 0.0
                while self.running.withLock({ $0 }) {
                    let now = Date().timeIntervalSince1970
                    let (events, dropped) = self.queue.drain()
                    if !events.isEmpty { _ = Reducer.reduce(&state, .trace(events, time: now)) }
                    _ = Reducer.reduce(&state, .queueDropped(total: dropped))
                    if now - lastDraw >= 1.0 / 30 {
                        _ = Screen.render(state, size: Size(width: 140, height: 40), context: RenderContext(now: now))
                        lastDraw = now
                        self.frames += 1
                    }
                    usleep(15_000)
                }
                self.done.signal()
            }.start()
        }

        func stop() -> Int {
            running.withLock { $0 = false }
            done.wait()
            return frames
        }
    }
}
