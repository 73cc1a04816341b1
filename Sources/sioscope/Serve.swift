import ArgumentParser
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import Scenarios
import SocketIOServer
import SocketIOTrace

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Socket.IO server from a scenario, headless, streaming its trace.",
        discussion: """
            Built-in scenarios: \(Scenario.builtIn.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")).
            The first line printed says where it listens. SIGINT or SIGTERM closes every connection \
            ("server shutting down") and exits.
            """)

    @Option(help: "A built-in scenario name, or a scenario file.")
    var scenario = "demo"

    @Option(help: "Address to bind; 127.0.0.1 keeps the server on this machine.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 3000

    @Option(help: "Trace output: text, json (one JSON object per line) or off.")
    var trace: TraceFormat = .text

    @Option(help: "Override the scenario's ping interval, in milliseconds.")
    var pingInterval: Int?

    @Option(help: "Override the scenario's ping timeout, in milliseconds.")
    var pingTimeout: Int?

    @Option(help: "Override the largest accepted message (maxHttpBufferSize), in bytes.")
    var maxHttpBufferSize: Int?

    @OptionGroup var tlsOptions: ServerTLSOptions

    @OptionGroup(title: "Limits") var limits: ServerLimitOptions

    @Flag(help: "Replace the values of the auth clients send with \"[redacted]\" in the trace.")
    var redact = false

    enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, off
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let pingInterval, pingInterval < 1 { throw ValidationError("--ping-interval must be at least 1 ms") }
        if let pingTimeout, pingTimeout < 1 { throw ValidationError("--ping-timeout must be at least 1 ms") }
        if let maxHttpBufferSize, maxHttpBufferSize < 1 { throw ValidationError("--max-http-buffer-size must be at least 1 byte") }
    }

    func run() async throws {
        var chosen = try ScenarioLoader.load(scenario)
        if let pingInterval { chosen.engine.pingInterval = pingInterval }
        if let pingTimeout { chosen.engine.pingTimeout = pingTimeout }
        if let maxHttpBufferSize { chosen.engine.maxHttpBufferSize = maxHttpBufferSize }
        limits.apply(to: &chosen)
        let output = LineWriter()
        let sink: (any TraceSink)? = switch trace {
        case .off: nil
        case .json: ClosureTraceSink { event in output.trace(event.json(time: Date().timeIntervalSince1970).jsonText) }
        case .text: ClosureTraceSink { event in output.trace(Self.timestamp() + " " + event.textLine) }
        }
        let (io, engines) = try ScenarioRuntime.build(chosen, trace: redact ? sink.map { RedactingTraceSink($0) } : sink)
        let http: EngineHTTPServer
        do {
            http = try await EngineHTTPServer.start(host: host, port: port, servers: engines, tls: tlsOptions.tls,
                                                 limits: limits.listener)
        } catch {
            throw ValidationError("cannot listen on \(host):\(port): \(error)")
        }
        let urls = engines.map { "\(tlsOptions.scheme)://\(host):\(http.port ?? port)\($0.configuration.path)" }
        switch trace {
        case .json:
            output.write(JSONValue.object(JSONObject([("kind", "listening"), ("scenario", .string(chosen.name)),
                                                      ("urls", .array(urls.map { .string($0) }))])).jsonText)
        default:
            output.write("sioscope serve: scenario \(chosen.name) listening on \(urls.joined(separator: " and "))")
        }
        output.openTrace()
        let signal = await Self.firstTerminationSignal()
        if trace == .text { output.write("sioscope serve: \(signal == SIGINT ? "SIGINT" : "SIGTERM"), shutting down") }
        await io.shutdown(http, gracePeriod: .seconds(3))
    }

    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        var seconds = time_t(now)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let ms = Int((now - Double(seconds)) * 1000)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms < 10 ? "00" : ms < 100 ? "0" : "")\(ms)"
    }

    /// Waits for SIGINT or SIGTERM (their default handlers are replaced so the process can shut down cleanly).
    static func firstTerminationSignal() async -> Int32 {
        let sources = NIOLockedValueBox<[any DispatchSourceSignal]>([])
        let received: Int32 = await withCheckedContinuation { continuation in
            let once = NIOLockedValueBox(false)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let first = once.withLockedValue { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume(returning: number) }
                }
                source.resume()
                sources.withLockedValue { $0.append(source) }
            }
        }
        sources.withLockedValue { list in list.forEach { $0.cancel() } }
        return received
    }
}

/// Writes whole lines to standard output from any thread, unbuffered, so a pipe reader sees each
/// at once. Trace lines wait until `openTrace()`, so the "listening" line comes first.
final class LineWriter: Sendable {
    private let lock = NIOLock()
    private let held = NIOLockedValueBox<[String]?>([])

    func trace(_ line: String) {
        let holding = held.withLockedValue { list -> Bool in
            guard list != nil else { return false }
            list!.append(line)
            return true
        }
        if !holding { write(line) }
    }

    /// Flushes held lines under the same lock `trace` takes, so no new line overtakes them.
    func openTrace() {
        held.withLockedValue { list in
            for line in list ?? [] { write(line) }
            list = nil
        }
    }

    func write(_ line: String) { write(line, to: STDOUT_FILENO) }

    /// A line on standard error (messages, not results).
    func error(_ line: String) { write(line, to: STDERR_FILENO) }

    private func write(_ line: String, to descriptor: Int32) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }
}
