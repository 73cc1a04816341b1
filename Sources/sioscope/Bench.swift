import ArgumentParser
import Foundation
import LoadGenerator
import SocketIOClient

/// `sioscope bench`: simulated clients at scale against any Socket.IO server.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drive a Socket.IO server with simulated clients and measure it.",
        discussion: """
            Workloads: echo (clients emitting with acks), ramp (connect and hold many clients), fanout \
            (one emitter, many receivers of a broadcast), soak (many clients for a long time, every \
            transport, reconnecting, every ack checked exactly once). The events default to the demo scenario's \
            (ping-ack answers with its arguments, chat is broadcast to the namespace). With --pid the \
            server's CPU and memory are read from /proc. A progress line runs on a terminal; --json \
            prints one object for machines.
            """,
        subcommands: [BenchEcho.self, BenchRamp.self, BenchFanout.self, BenchSoak.self])
}

/// Where to connect and how to report, shared by the workloads.
struct BenchOptions: ParsableArguments {
    @Argument(help: "The server and namespace, as socket.io-client reads them: http://HOST:PORT[/NAMESPACE] (or https, ws, wss).")
    var url: String

    @Option(help: "The namespace the clients join, if the URL's path does not name it (default /).")
    var namespace: String?

    @Option(help: "The Engine.IO path the server is mounted on (socket.io-client's path option).")
    var path = "/socket.io/"

    /// The namespace the URL or --namespace names (checked by `validate`).
    var joined: String { (try? ClientArguments.target(url: url, path: path, namespaces: namespace.map { [$0] } ?? []))?.namespaces[0] ?? "/" }

    @Option(help: "The CONNECT auth, a JSON object.")
    var auth: String?

    @Option(help: "polling, websocket or upgrade.")
    var transport: EngineClientConfiguration.Mode = .websocket

    @Option(help: "A PEM file of CA certificates to trust for https/wss.")
    var caFile: String?

    @Option(help: "The server's process id: its CPU and memory are reported.")
    var pid: Int32?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        try ClientArguments.check(url: url, path: path, namespaces: namespace.map { [$0] } ?? [], auth: auth, caFile: caFile)
        if let pid, ProcessSample.of(pid: pid) == nil { throw ValidationError("--pid \(pid): no such process to measure") }
    }

    var target: BenchTarget {
        BenchTarget(url: url, path: path, namespace: joined, auth: ClientArguments.authObject(auth), transport: transport, caFile: caFile)
    }

    /// Fails early, with the reason and the exit code `listen` and `emit` use, when the server
    /// cannot be reached or refuses the namespace.
    func checkReachable() async throws {
        do {
            let (probe, _) = try await target.connect(timeout: .seconds(10))
            probe.close()
        } catch let error as SocketConnectError {
            throw ClientExit.connectFailure(error, namespace: joined, path: path, json: json, output: LineWriter())
        }
    }

    func print(_ rows: [(String, String)], json object: JSONObject) {
        if json {
            Swift.print(JSONValue.object(object).jsonText)
        } else {
            let width = rows.map(\.0.count).max() ?? 0
            for (name, value) in rows { Swift.print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
        }
    }
}

func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

struct BenchEcho: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "C clients emitting with acks, K in flight each.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Clients, each with its own connection.") var clients = 100
    @Option(help: "Emits waiting for their ack per client.") var inFlight = 1
    @Option(help: "Seconds to run.") var duration = 10.0
    @Option(help: "The event; the server must ack it.") var event = "ping-ack"
    @Option(help: "Payload size in bytes.") var payload = 16

    func validate() throws {
        guard (1...100_000).contains(clients) else { throw ValidationError("--clients must be 1 to 100000") }
        guard (1...10_000).contains(inFlight) else { throw ValidationError("--in-flight must be 1 to 10000") }
        guard duration > 0 else { throw ValidationError("--duration must be more than 0 seconds") }
        guard payload >= 0 else { throw ValidationError("--payload must be 0 or more bytes") }
    }

    func run() async throws {
        try await options.checkReachable()
        let r = try await EchoWorkload(clients: clients, inFlight: inFlight, seconds: duration, event: event, payloadBytes: payload)
            .run(options.target, serverPID: options.pid)
        var rows = [("workload", "echo, \(clients) clients x \(inFlight) in flight, \(payload) B, \(fixed(r.seconds)) s"),
                    ("acks/s", fixed(r.acksPerSecond, 0)), ("acks", "\(r.acks)"), ("errors", "\(r.errors)"),
                    ("latency ms", "p50 \(fixed(r.latency.p50, 2))  p90 \(fixed(r.latency.p90, 2))  p99 \(fixed(r.latency.p99, 2))  max \(fixed(r.latency.max, 2))"),
                    ("generator CPU", "\(fixed(r.generatorCPU * 100, 0))% of a core")]
        if let s = r.server { rows.append(("server CPU", "\(fixed(s.cpu * 100, 0))% of a core, RSS \(s.residentBytes / 1_048_576) MiB")) }
        var o = JSONObject()
        o["workload"] = "echo"; o["clients"] = .int(Int64(clients)); o["inFlight"] = .int(Int64(inFlight))
        o["seconds"] = .double(r.seconds); o["acks"] = .int(Int64(r.acks)); o["errors"] = .int(Int64(r.errors))
        o["acksPerSecond"] = .double(r.acksPerSecond)
        o["p50"] = .double(r.latency.p50); o["p90"] = .double(r.latency.p90); o["p99"] = .double(r.latency.p99); o["max"] = .double(r.latency.max)
        o["generatorCPU"] = .double(r.generatorCPU)
        if let s = r.server { o["serverCPU"] = .double(s.cpu); o["serverRSS"] = .int(Int64(s.residentBytes)) }
        options.print(rows, json: o)
        if r.acks == 0 { throw ClientExit.timedOut }
    }
}

struct BenchRamp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ramp", abstract: "Connect N clients and hold them.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Clients to connect.") var clients = 1_000
    @Option(help: "Clients connecting at the same time.") var concurrency = 50
    @Option(help: "Seconds to hold them all before measuring the server.") var hold = 2.0

    func validate() throws {
        guard (1...100_000).contains(clients) else { throw ValidationError("--clients must be 1 to 100000") }
        guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 10000") }
        guard hold >= 0 else { throw ValidationError("--hold must be 0 or more seconds") }
    }

    func run() async throws {
        try await options.checkReachable()
        let r = await RampWorkload(clients: clients, concurrency: concurrency, holdSeconds: hold).run(options.target, serverPID: options.pid)
        var rows = [("workload", "ramp, \(clients) clients, \(concurrency) at a time"),
                    ("connected", "\(r.connected) in \(fixed(r.seconds, 2)) s (\(fixed(r.connectsPerSecond, 0))/s), \(r.errors) errors"),
                    ("connect ms", "p50 \(fixed(r.latency.p50, 2))  p99 \(fixed(r.latency.p99, 2))  max \(fixed(r.latency.max, 2))"),
                    ("first error", r.firstError ?? "none"),
                    ("still connected", "\(r.stillConnected) after \(fixed(hold)) s"),
                    ("generator CPU", "\(fixed(r.generatorCPU * 100, 0))% of a core")]
        if let b = r.serverBefore, let h = r.serverHeld {
            rows.append(("server RSS", "\(b.residentBytes / 1024) KiB -> \(h.residentBytes / 1024) KiB"))
            if let per = r.bytesPerConnection { rows.append(("per connection", "\(per) B")) }
        }
        if let s = r.serverConnecting, r.connected > 0 {
            rows.append(("server CPU", "\(fixed(s.cpu * 100, 0))% of a core while connecting, "
                         + "\(fixed(s.cpu * r.seconds / Double(r.connected) * 1e6, 0)) µs per connection"))
        }
        if let s = r.serverHolding { rows.append(("server CPU held", "\(fixed(s.cpu * 100, 1))% of a core while holding them")) }
        var o = JSONObject()
        o["workload"] = "ramp"; o["clients"] = .int(Int64(clients)); o["connected"] = .int(Int64(r.connected))
        o["errors"] = .int(Int64(r.errors)); o["seconds"] = .double(r.seconds); o["connectsPerSecond"] = .double(r.connectsPerSecond)
        if let first = r.firstError { o["firstError"] = .string(first) }
        o["stillConnected"] = .int(Int64(r.stillConnected)); o["p50"] = .double(r.latency.p50); o["p99"] = .double(r.latency.p99)
        o["generatorCPU"] = .double(r.generatorCPU)
        if let per = r.bytesPerConnection { o["bytesPerConnection"] = .int(Int64(per)) }
        if let s = r.serverConnecting { o["serverCPU"] = .double(s.cpu) }
        if let s = r.serverHolding { o["serverCPUHeld"] = .double(s.cpu) }
        options.print(rows, json: o)
        if r.connected == 0 { throw ClientExit.connectionFailed }
    }
}

struct BenchFanout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fanout", abstract: "One emitter, N receivers of a broadcast.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Receivers in the namespace.") var receivers = 1_000
    @Option(help: "Messages the emitter sends.") var messages = 200
    @Option(help: "The event; the server must broadcast it to the namespace.") var event = "chat"
    @Option(help: "Payload size in bytes.") var payload = 16
    @Option(help: "Messages the emitter may have ahead of the slowest deliveries.") var window = FanoutWorkload.defaultWindow

    func validate() throws {
        guard (1...100_000).contains(receivers) else { throw ValidationError("--receivers must be 1 to 100000") }
        guard (1...1_000_000).contains(messages) else { throw ValidationError("--messages must be 1 to 1000000") }
        guard (2...10_000).contains(window) else { throw ValidationError("--window must be 2 to 10000") }
    }

    func run() async throws {
        try await options.checkReachable()
        let r = try await FanoutWorkload(receivers: receivers, messages: messages, event: event, payloadBytes: payload, window: window)
            .run(options.target, serverPID: options.pid)
        var rows = [("workload", "fanout, \(receivers) receivers, \(messages) messages, window \(window)"),
                    ("deliveries/s", fixed(r.deliveriesPerSecond, 0)),
                    ("delivered", "\(r.deliveries) of \(r.expected) in \(fixed(r.seconds, 2)) s"),
                    ("generator CPU", "\(fixed(r.generatorCPU * 100, 0))% of a core")]
        if let s = r.server, let per = r.serverMicrosecondsPerDelivery {
            rows.append(("server CPU", "\(fixed(s.cpu * 100, 0))% of a core, \(fixed(per, 2)) µs per delivery"))
        }
        var o = JSONObject()
        o["workload"] = "fanout"; o["receivers"] = .int(Int64(receivers)); o["messages"] = .int(Int64(messages))
        o["deliveries"] = .int(Int64(r.deliveries)); o["expected"] = .int(Int64(r.expected)); o["seconds"] = .double(r.seconds)
        o["deliveriesPerSecond"] = .double(r.deliveriesPerSecond); o["generatorCPU"] = .double(r.generatorCPU)
        if let per = r.serverMicrosecondsPerDelivery { o["serverMicrosecondsPerDelivery"] = .double(per) }
        options.print(rows, json: o)
        if r.deliveries < r.expected { throw ClientExit.timedOut }
    }
}

struct BenchSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Many clients for a long time: every transport, emits with acks, reconnects; every ack checked.",
        discussion: """
            Clients take polling, websocket and upgrade in turn (--transport is ignored). Exit status 0 \
            only when every emit got its own ack exactly once and every connection succeeded; with \
            --pid, the server's memory and file descriptors are reported before, at their peak and after.
            """)

    @OptionGroup var options: BenchOptions
    @Option(help: "Clients at once.") var clients = 2_000
    @Option(help: "Seconds to run.") var duration = 600.0
    @Option(help: "Emits per second of each client.") var rate = 1.0
    @Option(help: "Seconds a client stays connected before it reconnects (on average).") var reconnect = 60.0
    @Option(help: "The event; the server must ack it with its arguments.") var event = "ping-ack"

    func validate() throws {
        guard (1...100_000).contains(clients) else { throw ValidationError("--clients must be 1 to 100000") }
        guard duration > 0 else { throw ValidationError("--duration must be more than 0 seconds") }
        guard rate > 0, rate <= 1_000 else { throw ValidationError("--rate must be more than 0 and at most 1000") }
        guard reconnect > 0 else { throw ValidationError("--reconnect must be more than 0 seconds") }
    }

    func run() async throws {
        try await options.checkReachable()
        let r = await SoakWorkload(clients: clients, seconds: duration, emitsPerSecond: rate, reconnectSeconds: reconnect, event: event)
            .run(options.target, serverPID: options.pid)
        let transports = r.sessionsByTransport.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var rows = [("workload", "soak, \(clients) clients, \(fixed(rate)) emits/s each, reconnect ~\(fixed(reconnect)) s, \(fixed(r.seconds)) s"),
                    ("acks", "\(r.acked) of \(r.sent) sent; lost \(r.lost), duplicated \(r.duplicated), mismatched \(r.mismatched)"),
                    ("sessions", "\(r.sessions) (\(transports)), \(r.connectErrors) connect errors"),
                    ("latency ms", "p50 \(fixed(r.latency.p50, 2))  p99 \(fixed(r.latency.p99, 2))  max \(fixed(r.latency.max, 2))")]
        if let s = r.server {
            rows.append(("server RSS", "\(s.baselineRSS / 1024) KiB before, \(s.peakRSS / 1024) KiB peak, \(s.afterRSS / 1024) KiB after"))
            rows.append(("server fds", "\(s.baselineFDs) before, \(s.peakFDs) peak, \(s.afterFDs) after"))
        }
        rows.append(("verdict", r.clean ? "clean" : "NOT clean"))
        var o = JSONObject()
        o["workload"] = "soak"; o["clients"] = .int(Int64(clients)); o["seconds"] = .double(r.seconds)
        o["sent"] = .int(Int64(r.sent)); o["acked"] = .int(Int64(r.acked)); o["lost"] = .int(Int64(r.lost))
        o["duplicated"] = .int(Int64(r.duplicated)); o["mismatched"] = .int(Int64(r.mismatched))
        o["sessions"] = .int(Int64(r.sessions)); o["connectErrors"] = .int(Int64(r.connectErrors))
        o["p50"] = .double(r.latency.p50); o["p99"] = .double(r.latency.p99); o["max"] = .double(r.latency.max)
        if let s = r.server {
            o["serverRSSBefore"] = .int(Int64(s.baselineRSS)); o["serverRSSPeak"] = .int(Int64(s.peakRSS)); o["serverRSSAfter"] = .int(Int64(s.afterRSS))
            o["serverFDsBefore"] = .int(Int64(s.baselineFDs)); o["serverFDsPeak"] = .int(Int64(s.peakFDs)); o["serverFDsAfter"] = .int(Int64(s.afterFDs))
        }
        o["clean"] = .bool(r.clean)
        options.print(rows, json: o)
        if !r.clean { throw ExitCode(1) }
    }
}
