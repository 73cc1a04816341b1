import ConsoleModel
import ConsoleRuntime
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Scenarios
import SocketIOClient
import SocketIOServer
import TermUI
import Testing

/// A terminal that types what the test scripted and keeps the frames it was given.
final class ScriptedTerminal: TerminalDevice {
    let utf8 = true
    let depth = ColorDepth.none
    let size: Size
    private var keys: [KeyEvent] = []
    private(set) var frames = 0
    private(set) var screen = ""
    private(set) var stopped = false
    private(set) var suspends = 0
    private(set) var invalidations = 0

    init(size: Size = Size(width: 160, height: 48)) { self.size = size }

    func type(_ text: String) { keys += text.map { .character($0) } }
    func press(_ key: KeyEvent) { keys.append(key) }
    var pendingKeys: Int { keys.count }

    func readKey(timeoutMilliseconds: Int32) -> KeyEvent? { keys.isEmpty ? nil : keys.removeFirst() }
    func invalidate() { invalidations += 1 }
    func suspend() { suspends += 1 }
    func present(_ buffer: CellBuffer, theme: ResolvedTheme, cursor: (x: Int, y: Int)?) {
        frames += 1
        screen = buffer.text
    }
    func stop() { stopped = true }
}

/// A clock the test moves: each turn of the loop is 0.3 s later, so every turn re-reads the tables and draws.
final class SteppedClock: ConsoleClock, Sendable {
    private let seconds = NIOLockedValueBox(1_800_000_000.0)
    func now() -> Double { seconds.withLockedValue { $0 } }
    func advance(_ by: Double) { seconds.withLockedValue { $0 += by } }
}

/// The console as the executable assembles it, on the built-in demo scenario served on loopback,
/// with its simulated clients, turned by the test through a scripted terminal.
/// Used by one test at a time (its defer hands it to a task that only shuts the server down).
final class ConsoleHarness: @unchecked Sendable {
    let io: SocketIOServer
    let http: EngineHTTPServer
    let clients: SimulatedClients
    let driver: ConsoleDriver
    let terminal = ScriptedTerminal()
    let clock: SteppedClock
    /// The scenario clients' repeating sends, cancelled on stop.
    let repeating: [Task<Void, Never>]

    let reader: SnapshotReader

    /// `reconcileInterval`: how often the driver reads the cores' tables whole (infinity: once, at
    /// the first turn, so the panes change only by the trace after that).
    static func start(scenario: Scenario = .demo, themes: [String] = ["fallback"],
                      reconcileInterval: Double = 2, queueCapacity: Int = 50_000,
                      tours: TourLibrary? = nil) async throws -> ConsoleHarness {
        let queue = TraceQueue(capacity: queueCapacity)
        let (io, engines) = try ScenarioRuntime.build(scenario, trace: queue)
        // On NIO's shared loops, like the simulated clients: one set of threads for the whole suite.
        let http = try await EngineHTTPServer.start(servers: engines, group: MultiThreadedEventLoopGroup.singleton)
        let inbox = ActionInbox()
        let clients = SimulatedClients(server: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, path: io.engine.configuration.path),
                                       group: MultiThreadedEventLoopGroup.singleton, inbox: inbox, trace: queue)
        let state = AppState(endpoint: "srv 127.0.0.1:\(http.port!)", scenario: scenario.name, themeNames: themes)
        let clock = SteppedClock()
        let reader = SnapshotReader(io: io, clients: clients)
        let driver = ConsoleDriver(state: state, themes: [:], queue: queue, inbox: inbox, reader: reader,
                                   runner: EffectRunner(io: io, clients: clients, inbox: inbox, tours: tours), clock: clock,
                                   reconcileInterval: reconcileInterval)
        let repeating = ScenarioClients.start(scenario.clients, on: clients)
        return ConsoleHarness(io: io, http: http, clients: clients, driver: driver, clock: clock, repeating: repeating, reader: reader)
    }

    private init(io: SocketIOServer, http: EngineHTTPServer, clients: SimulatedClients, driver: ConsoleDriver, clock: SteppedClock,
                 repeating: [Task<Void, Never>], reader: SnapshotReader) {
        self.repeating = repeating
        self.reader = reader
        self.io = io
        self.http = http
        self.clients = clients
        self.driver = driver
        self.clock = clock
    }

    /// Turns the loop (every key typed first) until `condition` holds, at most `seconds` of real
    /// time; the cores work on their own threads meanwhile. Returns whether it held.
    @discardableResult
    func run(within seconds: Double = 10, until condition: (ConsoleHarness) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            clock.advance(0.3)
            driver.step(on: terminal, keyTimeoutMilliseconds: 0)
            if terminal.pendingKeys == 0 && condition(self) { return true }
            if terminal.pendingKeys == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        return false
    }

    /// Types keys (and Enter, if asked) then turns the loop until `condition`.
    @discardableResult
    func keys(_ text: String, enter: Bool = false, within seconds: Double = 10, until condition: (ConsoleHarness) -> Bool) async -> Bool {
        terminal.type(text)
        if enter { terminal.press(.special(.enter)) }
        return await run(within: seconds, until: condition)
    }

    var screen: String { terminal.screen }
    var state: AppState { driver.state }

    /// The demo's five clients connected or refused as they should be.
    func waitForDemoClients() async -> Bool {
        await run { h in
            let all = h.clients.all
            return all.count == 5 && all.filter { $0.state == .connected }.count == 4 && all.contains { $0.state == .refused }
        }
    }

    func stop() async {
        repeating.forEach { $0.cancel() }
        clients.closeAll()
        await http.shutdown()
    }
}
