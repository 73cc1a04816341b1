import ArgumentParser
import Foundation
import SocketIOClient

/// `sioscope emit URL EVENT [ARGS...]`: send one event, print the ack.
struct EmitOnce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Connect to a Socket.IO server, send one event, and print the ack when asked for.",
        discussion: """
            Each argument is JSON: "text" (quoted for the shell: '"text"'), 7, {"a":1}, [1,2], true, null. \
            With --ack the server's reply is printed as a JSON array. \(ClientExit.help)
            """)

    @Argument(help: "The server and namespace, as socket.io-client reads them: http://HOST:PORT[/NAMESPACE] (or https, ws, wss).")
    var url: String

    @Argument(help: "The event name.")
    var event: String

    @Argument(help: "The event's arguments, each one JSON value.")
    var arguments: [String] = []

    @OptionGroup var client: ClientCommandOptions

    @Flag(help: "Ask for an acknowledgement and print it.")
    var ack = false

    @Option(help: "Seconds to wait for the connection and the ack.")
    var timeout: Double = 10

    func validate() throws {
        try client.validate(url: url)
        if Set(client.namespaces).count > 1 { throw ValidationError("emit sends to one namespace; give --namespace once") }
        if event.isEmpty { throw ValidationError("the event needs a name") }
        if ReservedEvents.contains(event) { throw ValidationError("'\(event)' is reserved by Socket.IO and cannot be emitted") }
        _ = try parsedArguments()
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    func parsedArguments() throws -> [JSONValue] {
        try arguments.enumerated().map { index, text in
            do throws(JSONError) { return try JSONParser.parse(text) } catch {
                let hint = text.first.map { $0.isLetter } == true ? " (text needs JSON quotes: '\"\(text)\"')" : ""
                throw ValidationError("argument \(index + 1) is not JSON: \(error.message) at byte \(error.offset)\(hint)")
            }
        }
    }

    func run() async throws {
        let values = try parsedArguments()
        let manager = try client.manager(url: url)
        defer { manager.close() }
        let output = LineWriter()
        let namespace = try client.target(url: url).namespaces[0]
        let socket = manager.socket(namespace)
        let wait = Duration.milliseconds(Int(timeout * 1000))
        do {
            try await socket.connect(auth: client.authObject, timeout: wait)
        } catch {
            throw ClientExit.connectFailure(error, namespace: namespace, path: client.path, json: client.json, output: output)
        }
        guard ack else {
            try socket.emit(event, values)
            await manager.flush()
            if client.json { output.write(#"{"kind":"sent"}"#) }
            return
        }
        do {
            let reply = try await socket.emitWithAck(event, values, timeout: wait)
            output.write(client.json ? JSONValue.object(JSONObject([("kind", "ack"), ("args", .array(reply))])).jsonText
                                     : JSONValue.array(reply).jsonText)
        } catch .timedOut {
            output.error("sioscope: no ack for \"\(event)\" within \(timeout) s")
            throw ClientExit.timedOut
        } catch {
            output.error("sioscope: \"\(event)\": \(error)")
            throw ClientExit.connectionFailed
        }
    }
}
