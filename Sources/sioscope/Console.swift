import ArgumentParser
import ConsoleModel
import EngineIOClient
import Foundation
import NIOPosix
import Scenarios
import SocketIOServer
import TermUI

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

    @Option(help: "Theme name or theme file (themes/*.theme).")
    var theme: String?

    @Flag(help: "No colours, only bold, underline and reverse (as NO_COLOR does).")
    var noColor = false

    @Option(help: "Where messages written to standard error go while the console runs.")
    var logFile: String?

    @Flag(help: "Start without the demo's simulated clients.")
    var noClients = false

    @Option(help: "Packets kept for scrolling and saving (older ones are dropped and counted).")
    var traceLimit = 10_000

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        guard (100...1_000_000).contains(traceLimit) else { throw ValidationError("--trace-limit must be between 100 and 1000000") }
    }

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if noColor { environment["NO_COLOR"] = "1" }
        var library = ThemeLibrary.load(environment: environment)
        var chosenTheme = library.order.first ?? "fallback"
        if let theme {
            guard let name = library.resolve(theme) else {
                throw ValidationError("no theme '\(theme)' (themes: \(library.order.joined(separator: ", ")))"
                                      + (library.problems.last.map { "; \($0)" } ?? ""))
            }
            chosenTheme = name
        }
        let scenario = try ScenarioLoader.load(scenario)
        let queue = TraceQueue()
        let (io, engines) = try ScenarioRuntime.build(scenario, trace: queue)
        let http = try await Self.listen(host: host, port: port, engines: engines)
        let boundPort = http.port ?? 0
        let inbox = ActionInbox()
        let clientTarget = EngineClientConfiguration(host: host == "0.0.0.0" ? "127.0.0.1" : host, port: boundPort,
                                                     path: io.engine.configuration.path)
        let clients = SimulatedClients(server: clientTarget, group: MultiThreadedEventLoopGroup.singleton, inbox: inbox)
        var state = AppState(endpoint: "srv \(host):\(boundPort)", scenario: scenario.name, themeNames: library.order,
                             themeName: chosenTheme, packetCapacity: traceLimit)
        state.messages.append(StatusMessage("scenario \(scenario.name) on http://\(host):\(boundPort)\(io.engine.configuration.path) — ? shows every key"))
        for problem in library.problems { state.messages.append(StatusMessage(problem, isError: true)) }
        if !noClients && scenario.name == "demo" { DemoClients.start(clients) }

        let loop = ConsoleLoop(state: state, themes: library.themes, environment: environment, logFile: logFile, queue: queue,
                               inbox: inbox, reader: SnapshotReader(io: io, clients: clients),
                               runner: EffectRunner(io: io, clients: clients, inbox: inbox))
        let outcome = await loop.runOnOwnThread()
        clients.closeAll()
        await io.shutdown(http, gracePeriod: .seconds(1))
        switch outcome {
        case .finished(let summary): print(summary)
        case .failed(let message): throw ValidationError(message)
        }
    }

    /// Binds the requested port, or 3000 and up to 19 more when none was requested.
    static func listen(host: String, port: Int?, engines: [EngineServer]) async throws -> EngineHTTPServer {
        let candidates = port.map { [$0] } ?? Array(3000...3019)
        var lastError: (any Error)? = nil
        for candidate in candidates {
            do {
                return try await EngineHTTPServer.start(host: host, port: candidate, servers: engines,
                                                        group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                lastError = error
            }
        }
        throw ValidationError("cannot listen on \(host):\(candidates.first!)\(candidates.count > 1 ? "-\(candidates.last!)" : ""): \(lastError.map { "\($0)" } ?? "")")
    }
}
