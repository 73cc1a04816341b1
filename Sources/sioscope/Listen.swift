import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import SocketIOClient

/// `sioscope listen URL`: a scriptable client that prints what the server sends.
struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect to a Socket.IO server and print every event it sends, like wscat for Socket.IO.",
        discussion: """
            Prints connect, every event (namespace, name, arguments), disconnect and connect_error, \
            one per line, until Ctrl-C, --count events, or --timeout. \(ClientExit.help) \
            With --count, reaching --timeout first exits 3.
            """)

    @Argument(help: "The server and namespace, as socket.io-client reads them: http://HOST:PORT[/NAMESPACE] (or https, ws, wss).")
    var url: String

    @OptionGroup var client: ClientCommandOptions

    @Option(help: "Stop after this many events.")
    var count: Int?

    @Option(help: "Stop after this many seconds.")
    var timeout: Double?

    func validate() throws {
        try client.validate(url: url)
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    enum Ending: Sendable { case count, timeout, signal, disconnected }

    func run() async throws {
        let manager = try client.manager(url: url)
        defer { manager.close() }
        let output = LineWriter()
        let json = client.json
        let ending = Once<Ending>()
        let received = NIOLockedValueBox(0)
        let open = NIOLockedValueBox(0)
        let limit = count
        for namespace in try client.target(url: url).namespaces {
            let socket = manager.socket(namespace)
            socket.onAny { event in
                output.write(Self.line(json: json, kind: "event", namespace: namespace,
                                       fields: [("event", .string(event.name)), ("args", .array(event.arguments))],
                                       text: "event \(namespace) \(event.name) \(JSONValue.array(event.arguments).jsonText)"))
                let n = received.withLockedValue { $0 += 1; return $0 }
                if let limit, n >= limit { ending.finish(.count) }
            }
            socket.onDisconnect { reason in
                output.write(Self.line(json: json, kind: "disconnect", namespace: namespace, fields: [("reason", .string(reason.rawValue))],
                                       text: "disconnect \(namespace) (\(reason.rawValue))"))
                if open.withLockedValue({ $0 -= 1; return $0 }) == 0 { ending.finish(.disconnected) }
            }
            do {
                let id = try await socket.connect(auth: client.authObject, timeout: .seconds(20))
                open.withLockedValue { $0 += 1 }
                output.write(Self.line(json: json, kind: "connect", namespace: namespace, fields: [("id", .string(id))],
                                       text: "connect \(namespace) \(id)"))
            } catch {
                throw ClientExit.connectFailure(error, namespace: namespace, path: client.path, json: json, output: output)
            }
        }
        // Whichever comes first ends the listening: the count, the timeout, a signal, the server.
        if let timeout {
            Task {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                ending.finish(.timeout)
            }
        }
        Task {
            _ = await Serve.firstTerminationSignal()
            ending.finish(.signal)
        }
        let how = await ending.wait()
        if how == .timeout, count != nil { throw ClientExit.timedOut }
    }

    static func line(json: Bool, kind: String, namespace: String, fields: [(String, JSONValue)], text: String) -> String {
        guard json else { return text }
        var o = JSONObject()
        o["kind"] = .string(kind)
        o["nsp"] = .string(namespace)
        for (key, value) in fields { o[key] = value }
        return JSONValue.object(o).jsonText
    }
}

/// A value set once, awaited by anyone.
final class Once<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [CheckedContinuation<Value, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    func finish(_ value: Value) {
        let waiters = state.withLockedValue { s -> [CheckedContinuation<Value, Never>] in
            guard s.value == nil else { return [] }
            s.value = value
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLockedValue { s -> Value? in
                if let value = s.value { return value }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
