import ArgumentParser
import Foundation
import NIOPosix
import SocketIOClient

/// What `listen` and `emit` share: where to connect, as whom, and how output looks.
struct ClientCommandOptions: ParsableArguments {
    @Option(name: .customLong("namespace"),
            help: "A namespace to join (repeat for more); the URL's path names one too, as in socket.io-client.")
    var namespaces: [String] = []

    @Option(help: "The Engine.IO path the server is mounted on (socket.io-client's path option).")
    var path = "/socket.io/"

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
        try ClientArguments.check(url: url, path: path, namespaces: namespaces, auth: auth, caFile: caFile)
    }

    var authObject: JSONObject? { ClientArguments.authObject(auth) }

    /// The server and the namespaces to join (checked by `validate`).
    func target(url: String) throws -> (server: SocketIOURL, namespaces: [String]) {
        try ClientArguments.target(url: url, path: path, namespaces: namespaces, mode: transport, caFile: caFile)
    }

    func manager(url: String) throws -> SocketManager {
        let configuration = try target(url: url).server.configuration
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
    /// The server and the namespaces a command joins. The URL's path names a namespace, as in
    /// socket.io-client (`http://host:3000/admin` is `/admin`); `--namespace` names more. The same
    /// namespace both ways is fine; a different one is refused, since it is most likely a mistake.
    static func target(url: String, path: String, namespaces: [String], mode: EngineClientConfiguration.Mode = .upgrade,
                       caFile: String? = nil) throws -> (server: SocketIOURL, namespaces: [String]) {
        let server: SocketIOURL
        do { server = try SocketIOURL(url, path: path, mode: mode, caFile: caFile) } catch { throw ValidationError("\(error)") }
        guard !namespaces.isEmpty else { return (server, [server.namespace]) }
        if server.namespace != "/", let other = namespaces.first(where: { $0 != server.namespace }) {
            throw ValidationError("""
                the URL names the namespace \(server.namespace) and --namespace names \(other): a URL's path is its \
                namespace, as in socket.io-client; name the namespaces one way (the Engine.IO path is --path)
                """)
        }
        return (server, namespaces)
    }

    static func check(url: String, path: String = "/socket.io/", namespaces: [String], auth: String?, caFile: String?) throws {
        guard path.hasPrefix("/") else { throw ValidationError("--path '\(path)': an Engine.IO path starts with /, like /socket.io/") }
        for namespace in namespaces {
            guard namespace.hasPrefix("/"), !namespace.contains(","), !namespace.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw ValidationError("--namespace '\(namespace)': a namespace starts with / and has no ',' or control characters")
            }
        }
        if let auth, authObject(auth) == nil {
            throw ValidationError("--auth must be a JSON object, like {\"token\":\"secret\"}")
        }
        _ = try target(url: url, path: path, namespaces: namespaces)
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
    /// What to try when the handshake found nothing at the Engine.IO path.
    static func notFoundHint(path: String, namespace: String) -> String {
        """
        sioscope: nothing answered at the Engine.IO path \(path). The URL's path is the namespace (here \(namespace)), \
        as in socket.io-client, not where the server is mounted; a server mounted elsewhere needs --path (for example --path /realtime/).
        """
    }

    static let connectionFailed = ExitCode(1)
    static let refused = ExitCode(2)
    static let timedOut = ExitCode(3)

    static let help = """
        Exit codes: 0 done; 1 the server could not be reached or refused the handshake; \
        2 connect_error (a middleware refused; its message and data are printed); \
        3 timed out; 64 bad arguments.
        """

    /// Prints why connecting failed and returns the exit code that says so. `path` is the Engine.IO
    /// path tried, named in the hint a 404 gets.
    static func connectFailure(_ error: SocketConnectError, namespace: String, path: String, json: Bool, output: LineWriter) -> ExitCode {
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
            if case .handshakeRefused(404, _) = why { output.error(notFoundHint(path: path, namespace: namespace)) }
            return connectionFailed
        case .disconnected(let reason):
            output.error("sioscope: \(namespace): the connection ended before the server answered (\(reason.rawValue))")
            return connectionFailed
        }
    }
}
