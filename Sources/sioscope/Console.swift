import ArgumentParser
import ConsoleModel
import ConsoleRuntime
import EngineIOClient
import Foundation
import NIOPosix
import Scenarios
import SocketIOServer
import TermUI

/// Options every console form shares.
struct ConsoleOptions: ParsableArguments {
    @Option(help: "Theme name or theme file (themes/*.theme).")
    var theme: String?

    @Flag(help: "No colours, only bold, underline and reverse (as NO_COLOR does).")
    var noColor = false

    @Option(help: "Where messages written to standard error go while the console runs.")
    var logFile: String?

    @Option(help: "Packets kept for scrolling and saving (older ones are dropped and counted).")
    var traceLimit = 10_000

    @Flag(help: "Show and save the auth clients send with its values replaced by \"[redacted]\".")
    var redact = false

    /// The sink the cores record into: the queue, redacting first when asked.
    func sink(_ queue: TraceQueue) -> any TraceSink { redact ? RedactingTraceSink(queue) : queue }

    func validate() throws {
        guard (100...1_000_000).contains(traceLimit) else { throw ValidationError("--trace-limit must be between 100 and 1000000") }
    }

    /// The environment as the terminal session should see it, and the themes with the chosen one.
    func prepare() throws -> (environment: [String: String], library: ThemeLibrary, theme: String) {
        var environment = ProcessInfo.processInfo.environment
        if noColor { environment["NO_COLOR"] = "1" }
        var library = ThemeLibrary.load(environment: environment)
        var chosen = library.order.first ?? "fallback"
        if let theme {
            guard let name = library.resolve(theme) else {
                throw ValidationError("no theme '\(theme)' (themes: \(library.order.joined(separator: ", ")))"
                                      + (library.problems.last.map { "; \($0)" } ?? ""))
            }
            chosen = name
        }
        return (environment, library, chosen)
    }
}

/// `sioscope` with no subcommand: the live console with an embedded server.
struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The live console: an embedded Socket.IO server, simulated clients, every packet explained.",
        discussion: """
            Without --port the server takes 127.0.0.1:3000, or the next free port up to 3019; the status \
            bar shows which. Point your own clients at it: they appear next to the simulated ones. \
            Press ? in the console for every key and command.
            """)

    @Option(help: "A built-in scenario name, or a scenario file.")
    var scenario = "demo"

    @Option(help: "Address to bind; 127.0.0.1 keeps the server on this machine.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free one). Default: 3000, or the next free one.")
    var port: Int?

    @Flag(help: "Start without the scenario's simulated clients (its client blocks).")
    var noClients = false

    @Option(help: "Open the guided tour at start: a lesson's name or number, or 'resume' for where you stopped.")
    var tour: String?

    @OptionGroup var tlsOptions: ServerTLSOptions

    @OptionGroup(title: "Limits") var limits: ServerLimitOptions

    @Option(help: "With --tls-cert: the CA the simulated clients trust (default: the certificate itself).")
    var tlsCA: String?

    @OptionGroup var ui: ConsoleOptions

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let (environment, library, theme) = try ui.prepare()
        var scenario = try ScenarioLoader.load(scenario)
        limits.apply(to: &scenario)
        let queue = TraceQueue()
        let (io, engines) = try ScenarioRuntime.build(scenario, trace: ui.sink(queue))
        let http = try await Self.listen(host: host, port: port, engines: engines, tls: tlsOptions.tls, limits: limits.listener)
        let boundPort = http.port ?? 0
        let inbox = ActionInbox()
        let clientTarget = EngineClientConfiguration(host: host == "0.0.0.0" ? "127.0.0.1" : host, port: boundPort,
                                                     path: io.engine.configuration.path,
                                                     tls: tlsOptions.tlsCert.map { ClientTLS(caFile: tlsCA ?? $0) })
        let clients = SimulatedClients(server: clientTarget, group: MultiThreadedEventLoopGroup.singleton, inbox: inbox,
                                       trace: ui.sink(queue), redact: ui.redact)
        var state = AppState(endpoint: "srv \(host):\(boundPort)", scenario: scenario.name, themeNames: library.order,
                             themeName: theme, packetCapacity: ui.traceLimit)
        state.messages.append(StatusMessage("scenario \(scenario.name) on \(tlsOptions.scheme)://\(host):\(boundPort)\(io.engine.configuration.path) — ? shows every key"))
        for problem in library.problems { state.messages.append(StatusMessage(problem, isError: true)) }
        if !noClients { ScenarioClients.start(scenario.clients, on: clients) }

        let driver = ConsoleDriver(state: state, themes: library.themes, queue: queue, inbox: inbox,
                                   reader: SnapshotReader(io: io, clients: clients, redact: ui.redact),
                                   runner: EffectRunner(io: io, clients: clients, inbox: inbox, tours: TourLibrary(environment: environment)),
                                   utcOffset: ConsoleLoop.utcOffset())
        if let tour { driver.apply(.run(tour == "resume" ? "tour" : "tour \(tour)")) }
        let outcome = await ConsoleLoop(driver: driver, environment: environment, logFile: ui.logFile).runOnOwnThread()
        clients.closeAll()
        await io.shutdown(http, gracePeriod: .seconds(1))
        try outcome.finish()
    }

    /// Binds the requested port, or 3000 and up to 19 more when none was requested.
    static func listen(host: String, port: Int?, engines: [EngineServer], tls: ServerTLS?,
                       limits: ListenerLimits) async throws -> EngineHTTPServer {
        let candidates = port.map { [$0] } ?? Array(3000...3019)
        var lastError: (any Error)? = nil
        for candidate in candidates {
            do {
                return try await EngineHTTPServer.start(host: host, port: candidate, servers: engines,
                                                        group: MultiThreadedEventLoopGroup.singleton, tls: tls, limits: limits)
            } catch {
                lastError = error
            }
        }
        throw ValidationError("cannot listen on \(host):\(candidates.first!)\(candidates.count > 1 ? "-\(candidates.last!)" : ""): \(lastError.map { "\($0)" } ?? "")")
    }
}

/// `sioscope connect URL`: the console attached as a client to someone else's server.
struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The console attached as a client to any Socket.IO v3/v4 server.",
        discussion: """
            Connects one client per --namespace (default /) and shows both layers of the conversation \
            as the client sees it. Emits go from the selected client; :connect NSP adds clients.
            """)

    @Argument(help: "The server and namespace, as socket.io-client reads them: http://HOST:PORT[/NAMESPACE] (or https, ws, wss).")
    var url: String

    @Option(name: .customLong("namespace"),
            help: "A namespace to join (repeat for more); the URL's path names one too, as in socket.io-client.")
    var namespaces: [String] = []

    @Option(help: "The Engine.IO path the server is mounted on (socket.io-client's path option).")
    var path = "/socket.io/"

    @Option(help: "The CONNECT auth, a JSON object such as {\"token\":\"secret\"}.")
    var auth: String?

    @Option(help: "polling, websocket, or upgrade (polling first, then WebSocket, as official clients do).")
    var transport: EngineClientConfiguration.Mode = .upgrade

    @Option(help: "A PEM file of CA certificates to trust for https/wss (a development server's own CA).")
    var caFile: String?

    @OptionGroup var ui: ConsoleOptions

    func validate() throws {
        try ClientArguments.check(url: url, path: path, namespaces: namespaces, auth: auth, caFile: caFile)
    }

    func run() async throws {
        let (environment, library, theme) = try ui.prepare()
        let (server, joined) = try ClientArguments.target(url: url, path: path, namespaces: namespaces, mode: transport, caFile: caFile)
        let target = server.configuration
        let authObject = ClientArguments.authObject(auth)
        let queue = TraceQueue()
        let inbox = ActionInbox()
        let clients = SimulatedClients(server: target, group: MultiThreadedEventLoopGroup.singleton, inbox: inbox,
                                       trace: ui.sink(queue), redact: ui.redact)
        var state = AppState(endpoint: "cli \(target.host):\(target.port)", scenario: "remote", themeNames: library.order,
                             themeName: theme, packetCapacity: ui.traceLimit)
        state.hasServer = false
        state.messages.append(StatusMessage("attached to \(url) as a client — ? shows every key"))
        for problem in library.problems { state.messages.append(StatusMessage(problem, isError: true)) }
        let chosenTransport: TraceTransport? = transport == .polling ? .polling : (transport == .websocket ? .websocket : nil)
        for namespace in joined {
            clients.spawn(count: 1, namespace: namespace, auth: authObject, transport: chosenTransport)
        }
        let driver = ConsoleDriver(state: state, themes: library.themes, queue: queue, inbox: inbox,
                                   reader: SnapshotReader(io: nil, clients: clients, redact: ui.redact),
                                   runner: EffectRunner(io: nil, clients: clients, inbox: inbox), utcOffset: ConsoleLoop.utcOffset())
        let outcome = await ConsoleLoop(driver: driver, environment: environment, logFile: ui.logFile).runOnOwnThread()
        clients.closeAll()
        try outcome.finish()
    }
}

extension EngineClientConfiguration.Mode: ExpressibleByArgument {}

/// `sioscope tour`: the console on the tour's server, the lesson panel open.
struct Tour: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn the protocol: a guided tour through the live console, every step real traffic.",
        discussion: """
            Opens the console on the built-in tour scenario (the demo's namespaces, a 5 s heartbeat, no \
            clients of its own) with the lesson panel beside the panes. Space runs a step, n and p move, \
            a answers a step's question; the tour remembers where you stopped. Lessons are tours/*.tour \
            files; your own go in ~/.config/sioscope/tours.
            """)

    @Argument(help: "A lesson's name or number (default: where you stopped).")
    var lesson: String?

    @Option(help: "Port to bind (0 picks a free one). Default: 3000, or the next free one.")
    var port: Int?

    @OptionGroup var ui: ConsoleOptions

    func run() async throws {
        var console = try Console.parse(["--scenario", "tour", "--no-clients", "--tour", lesson ?? "resume"])
        console.port = port
        console.ui = ui
        try console.validate()
        try await console.run()
    }
}
