import ArgumentParser
import Foundation
import NIOPosix
import SocketIOClient

/// What `listen` and `emit` share: where to connect, as whom, and how output looks.
struct ClientCommandOptions: ParsableArguments {
    @Option(name: .customLong("namespace"), help: "A namespace to join (repeat for more; default /).")
    var namespaces: [String] = []

    @Option(help: "The CONNECT auth, a JSON object such as {\"token\":\"secret\"}.")
    var auth: String?

    @Option(help: "polling, websocket, or upgrade (polling first, then WebSocket).")
    var transport: EngineClientConfiguration.Mode = .upgrade

    @Option(help: "A PEM file of CA certificates to trust for https/wss (a development server's own CA).")
    var caFile: String?

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    @Flag(help: "Write the client's trace (both protocol layers) as JSON lines to standard error.")
    var trace = false

    func validate(url: String) throws {
        try ClientArguments.check(url: url, namespaces: namespaces, auth: auth, caFile: caFile)
    }

    var authObject: JSONObject? { ClientArguments.authObject(auth) }

    var chosenNamespaces: [String] { namespaces.isEmpty ? ["/"] : namespaces }

    func manager(url: String) throws -> SocketManager {
        let configuration = try EngineClientConfiguration(url: url, mode: transport, caFile: caFile)
        let sink: (any TraceSink)? = trace ? ClosureTraceSink { event in
            let line = event.json(time: Date().timeIntervalSince1970).jsonText + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        } : nil
        return SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: false),
                             group: MultiThreadedEventLoopGroup.singleton, trace: sink)
    }
}

/// The checks every command that connects as a client shares (connect, listen, emit, bench).
enum ClientArguments {
    static func check(url: String, namespaces: [String], auth: String?, caFile: String?) throws {
        for namespace in namespaces {
            guard namespace.hasPrefix("/"), !namespace.contains(","), !namespace.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw ValidationError("--namespace '\(namespace)': a namespace starts with / and has no ',' or control characters")
            }
        }
        if let auth, authObject(auth) == nil {
            throw ValidationError("--auth must be a JSON object, like {\"token\":\"secret\"}")
        }
        do { _ = try EngineClientConfiguration(url: url) } catch { throw ValidationError("\(error)") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file \(caFile): no such readable file")
        }
    }

    /// The `--auth` text as a JSON object (nil when absent or not an object; `check` refuses the latter).
    static func authObject(_ text: String?) -> JSONObject? {
        text.flatMap { (try? JSONParser.parse($0))?.objectValue }
    }
}

/// The exit codes of the client commands, so scripts can tell outcomes apart.
enum ClientExit {
    static let connectionFailed = ExitCode(1)
    static let refused = ExitCode(2)
    static let timedOut = ExitCode(3)

    static let help = """
        Exit codes: 0 done; 1 the server could not be reached or refused the handshake; \
        2 connect_error (a middleware refused; its message and data are printed); \
        3 timed out; 64 bad arguments.
        """

    /// Prints why connecting failed and returns the exit code that says so.
    static func connectFailure(_ error: SocketConnectError, namespace: String, json: Bool, output: LineWriter) -> ExitCode {
        switch error {
        case .refused(let message, let data):
            if json {
                var o = JSONObject()
                o["kind"] = "connect_error"; o["nsp"] = .string(namespace); o["message"] = .string(message)
                if let data { o["data"] = data }
                output.write(JSONValue.object(o).jsonText)
            } else {
                output.write("connect_error \(namespace) \(message)" + (data.map { " " + $0.jsonText } ?? ""))
            }
            return refused
        case .timedOut:
            output.error("sioscope: \(namespace): no answer to CONNECT in time")
            return timedOut
        case .connection(let why):
            output.error("sioscope: \(why)")
            return connectionFailed
        case .disconnected(let reason):
            output.error("sioscope: \(namespace): the connection ended before the server answered (\(reason.rawValue))")
            return connectionFailed
        }
    }
}
