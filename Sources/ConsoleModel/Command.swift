import SocketIOTrace
import WireJSON

/// Who sends an injected emit.
public enum EmitSource: Sendable, Hashable {
    case server
    /// A simulated client, by its console name (`c1`).
    case client(String)
}

/// An emit as typed: the target is resolved against the state when it runs (a namespace, a socket
/// id, or a room of the current namespace).
public struct EmitCommand: Sendable, Hashable {
    public var source: EmitSource
    public var target: String?
    public var event: String
    public var arguments: [JSONValue]
    public var ack: Bool
    public var timeoutSeconds: Double
}

/// How a simulated client joins, beyond its namespace, auth and transport.
public struct SpawnOptions: Sendable, Hashable {
    /// Share this client's connection (socket.io-client's multiplexing) instead of opening one.
    public var on: String?
    /// Answer every event the server sends with an ack request, with the event's own arguments.
    public var answersAcks: Bool
    /// Reconnect after the connection is lost (socket.io-client's default; the console's clients
    /// otherwise stay down, so what happened stays on screen).
    public var reconnects: Bool

    public init(on: String? = nil, answersAcks: Bool = false, reconnects: Bool = false) {
        self.on = on
        self.answersAcks = answersAcks
        self.reconnects = reconnects
    }
}

/// A fault the operator puts on a simulated client's connection.
public enum ClientFault: String, Sendable, Hashable {
    /// Stop answering the server's pings (the server's ping timeout follows).
    case freeze
    /// Answer them again.
    case thaw
    /// Drop the connection as a network failure would (transport close).
    case drop
}

/// Everything `:` accepts. See `CommandParser.help` for the grammar.
public enum Command: Sendable, Hashable {
    case emit(EmitCommand)
    case spawn(count: Int, namespace: String, auth: JSONObject?, transport: TraceTransport?, options: SpawnOptions = .init())
    case disconnect(id: String)
    case fault(ClientFault, client: String)
    case reject(namespace: String, middleware: String?, message: String, data: JSONValue?)
    case allow(namespace: String, middleware: String?)
    case delay(namespace: String, middleware: String, milliseconds: Int)
    case join(id: String, room: String)
    case leave(id: String, room: String)
    case save(path: String)
    case theme(String)
    case filter(String)
    case clear
    case pause
    case follow
    case help
    case quit
    /// `tour`, `tour NAME`, `tour off`.
    case tour(String?)
    case tourOff
}

public enum CommandParser {
    /// One line per command, for the help overlay and the README.
    public static let help: [(String, String)] = [
        ("emit [server|client ID] [to NSP|SOCKET|ROOM] EVENT [JSON...] [--ack] [--timeout S] [--binary HEX]",
         "send an event (the i key opens this line with emit filled in)"),
        ("connect NSP|URL [--auth JSON] [--transport polling|websocket] [--on CLIENT] [--acks] [--reconnect]",
         "one simulated client (a URL's path is its namespace); --on shares CLIENT's connection, --acks answers the server's acks, --reconnect comes back after a lost connection"),
        ("spawn N NSP [--auth JSON] [--transport polling|websocket] [--acks] [--reconnect]", "N simulated clients"),
        ("disconnect ID", "disconnect a socket or a simulated client"),
        ("freeze CLIENT / thaw CLIENT / drop CLIENT", "a client stops answering pings (ping timeout follows) or answers again; drop cuts its connection (transport close)"),
        ("reject NSP [MW] [MESSAGE] [DATA]", "force a middleware to refuse, with message and JSON data"),
        ("allow NSP [MW]", "back to the middleware's own rule"),
        ("delay NSP MW 500ms", "slow a middleware down"),
        ("join ID ROOM / leave ID ROOM", "move a server socket between rooms"),
        ("save FILE", "write the captured trace as JSON lines"),
        ("theme NAME", "switch theme"),
        ("tour [LESSON] / tour off", "the guided tour: space runs a step, n and p move, a answers"),
        ("filter TEXT / clear / pause / follow / q", "the same as / C p s q"),
    ]

    public static func parse(_ line: String) throws(CommandError) -> Command {
        let tokens = try CommandTokenizer.tokenize(line)
        guard let verb = tokens.first else { throw CommandError(column: 1, "empty command; try emit, reject, spawn, save, theme") }
        var rest = Array(tokens.dropFirst())
        func need(_ n: Int, _ usage: String) throws(CommandError) {
            if rest.count < n { throw CommandError(column: line.count + 1, "usage: \(usage)") }
        }
        switch verb.text {
        case "emit":
            return .emit(try parseEmit(rest, endColumn: line.count + 1))
        case "connect", "spawn":
            var count = 1
            if verb.text == "spawn" {
                try need(2, "spawn N NSP [--auth JSON] [--transport polling|websocket]")
                guard let n = Int(rest[0].text), (1...1000).contains(n) else {
                    throw CommandError(column: rest[0].column, "N is a number from 1 to 1000")
                }
                count = n
                rest.removeFirst()
            }
            try need(1, "\(verb.text) NSP [--auth JSON] [--transport polling|websocket]")
            let namespace = try parseConnectTarget(rest.removeFirst())
            var auth: JSONObject? = nil
            var transport: TraceTransport? = nil
            var options = SpawnOptions()
            while !rest.isEmpty {
                let option = rest.removeFirst()
                switch option.text {
                case "--auth":
                    guard !rest.isEmpty else { throw CommandError(column: option.column, "--auth needs a JSON object") }
                    let value = rest.removeFirst()
                    guard case .object(let object) = try parseJSON(value) else {
                        throw CommandError(column: value.column, "--auth must be a JSON object, like {\"token\":\"secret\"}")
                    }
                    auth = object
                case "--transport":
                    guard !rest.isEmpty, let t = TraceTransport(rawValue: rest.removeFirst().text) else {
                        throw CommandError(column: option.column, "--transport is polling or websocket")
                    }
                    transport = t
                case "--acks":
                    options.answersAcks = true
                case "--reconnect":
                    options.reconnects = true
                case "--on":
                    guard verb.text == "connect", !rest.isEmpty else {
                        throw CommandError(column: option.column, "--on CLIENT shares one client's connection (connect only)")
                    }
                    options.on = rest.removeFirst().text
                default:
                    throw CommandError(column: option.column, "unknown option \(option.text)")
                }
            }
            if options.on != nil, transport != nil {
                throw CommandError(column: line.count + 1, "--on shares the other client's transport; leave out --transport")
            }
            return .spawn(count: count, namespace: namespace, auth: auth, transport: transport, options: options)
        case "disconnect":
            try need(1, "disconnect ID")
            return .disconnect(id: rest[0].text)
        case "freeze", "thaw", "drop":
            try need(1, "\(verb.text) CLIENT")
            if rest.count > 1 { throw CommandError(column: rest[1].column, "usage: \(verb.text) CLIENT") }
            return .fault(ClientFault(rawValue: verb.text)!, client: rest[0].text)
        case "reject":
            try need(1, "reject NSP [MW] [MESSAGE] [DATA]")
            let namespace = try parseNamespace(rest[0])
            let middleware = rest.count > 1 ? try CommandTokenizer.unquoted(rest[1]) : nil
            let message = rest.count > 2 ? try CommandTokenizer.unquoted(rest[2]) : "rejected by sioscope"
            // Spelled out: JSONValue is nil-literal convertible, so a bare `nil` here would become JSON null.
            let data: JSONValue? = rest.count > 3 ? .some(try parseJSON(rest[3])) : .none
            if rest.count > 4 { throw CommandError(column: rest[4].column, "too many words; quote a message with spaces") }
            return .reject(namespace: namespace, middleware: middleware, message: message, data: data)
        case "allow":
            try need(1, "allow NSP [MW]")
            return .allow(namespace: try parseNamespace(rest[0]), middleware: rest.count > 1 ? try CommandTokenizer.unquoted(rest[1]) : nil)
        case "delay":
            try need(3, "delay NSP MW DURATION (500ms, 2s)")
            guard let ms = parseDuration(rest[2].text) else {
                throw CommandError(column: rest[2].column, "a duration like 500ms or 2s (at most 60s)")
            }
            return .delay(namespace: try parseNamespace(rest[0]), middleware: try CommandTokenizer.unquoted(rest[1]), milliseconds: ms)
        case "join", "leave":
            try need(2, "\(verb.text) ID ROOM")
            let room = try CommandTokenizer.unquoted(rest[1])
            return verb.text == "join" ? .join(id: rest[0].text, room: room) : .leave(id: rest[0].text, room: room)
        case "save":
            try need(1, "save FILE")
            return .save(path: try CommandTokenizer.unquoted(rest[0]))
        case "theme":
            try need(1, "theme NAME")
            return .theme(rest[0].text)
        case "filter":
            let text = String(line.drop(while: { $0 == " " }).dropFirst("filter".count)).drop(while: { $0 == " " })
            do { _ = try PacketFilter.parse(String(text)) } catch { throw CommandError(column: verb.column + 7 + error.column - 1, error.message) }
            return .filter(String(text))
        case "tour":
            if rest.count > 1 { throw CommandError(column: rest[1].column, "usage: tour [LESSON] or tour off") }
            if rest.first?.text == "off" { return .tourOff }
            return .tour(rest.first?.text)
        case "clear": return .clear
        case "pause": return .pause
        case "follow": return .follow
        case "help": return .help
        case "q", "quit": return .quit
        default:
            throw CommandError(column: verb.column, "unknown command '\(verb.text)'; try emit, spawn, reject, allow, save, theme, help")
        }
    }

    /// `[server|client ID] [to TARGET] EVENT [JSON...] [--ack] [--timeout S] [--binary HEX]`.
    public static func parseEmit(_ tokens: [CommandToken], endColumn: Int) throws(CommandError) -> EmitCommand {
        var rest = tokens
        var source = EmitSource.server
        var target: String? = nil
        if let first = rest.first, first.text == "server" {
            rest.removeFirst()
        } else if let first = rest.first, first.text == "client" {
            rest.removeFirst()
            guard !rest.isEmpty else { throw CommandError(column: first.column, "client needs the simulated client's name (c1)") }
            source = .client(rest.removeFirst().text)
        }
        if let first = rest.first, first.text == "to" {
            rest.removeFirst()
            guard !rest.isEmpty else { throw CommandError(column: first.column, "to needs a namespace, socket id or room") }
            target = try CommandTokenizer.unquoted(rest.removeFirst())
        }
        guard !rest.isEmpty else { throw CommandError(column: endColumn, "which event? emit [to TARGET] EVENT [JSON args]") }
        let eventToken = rest.removeFirst()
        let event = try CommandTokenizer.unquoted(eventToken)
        if event.isEmpty || event.hasPrefix("--") { throw CommandError(column: eventToken.column, "the event needs a name") }
        if ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].contains(event) {
            throw CommandError(column: eventToken.column, "'\(event)' is reserved by Socket.IO and cannot be emitted")
        }
        var arguments: [JSONValue] = []
        var ack = false
        var timeout = 5.0
        while !rest.isEmpty {
            let token = rest.removeFirst()
            switch token.text {
            case "--ack":
                ack = true
            case "--timeout":
                guard !rest.isEmpty, let s = Double(rest.removeFirst().text), s > 0, s <= 600 else {
                    throw CommandError(column: token.column, "--timeout takes seconds, 0 < S <= 600")
                }
                timeout = s
                ack = true
            case "--binary":
                guard !rest.isEmpty else { throw CommandError(column: token.column, "--binary needs hex bytes, like 0102ff") }
                let hex = rest.removeFirst()
                guard let bytes = parseHex(hex.text) else {
                    throw CommandError(column: hex.column, "'\(hex.text)' is not hex bytes (an even number of 0-9a-f)")
                }
                arguments.append(.binary(bytes))
            default:
                if token.text.hasPrefix("--") { throw CommandError(column: token.column, "unknown option \(token.text)") }
                arguments.append(try parseJSON(token))
            }
        }
        return EmitCommand(source: source, target: target, event: event, arguments: arguments, ack: ack, timeoutSeconds: timeout)
    }

    static func parseJSON(_ token: CommandToken) throws(CommandError) -> JSONValue {
        do {
            return try JSONParser.parse(token.text)
        } catch {
            let hint = token.text.first.map { $0.isLetter } == true ? " (text needs quotes: \"\(token.text)\")" : ""
            throw CommandError(column: token.column + max(0, error.offset), "not JSON: \(error.message)\(hint)")
        }
    }

    /// A namespace, or a URL whose path names it as socket.io-client reads one
    /// (`http://localhost:3000/admin` is `/admin`; the clients connect to the console's server).
    static func parseConnectTarget(_ token: CommandToken) throws(CommandError) -> String {
        let text = try CommandTokenizer.unquoted(token)
        guard let schemeEnd = text.firstRange(of: "://") else { return try parseNamespace(token) }
        let path = text[schemeEnd.upperBound...].drop { $0 != "/" && $0 != "?" && $0 != "#" }.prefix { $0 != "?" && $0 != "#" }
        let name = path.isEmpty ? "/" : String(path)
        guard !name.contains(",") && !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw CommandError(column: token.column, "a namespace cannot contain ',' or control characters")
        }
        return name
    }

    static func parseNamespace(_ token: CommandToken) throws(CommandError) -> String {
        let name = try CommandTokenizer.unquoted(token)
        guard name.hasPrefix("/") else { throw CommandError(column: token.column, "a namespace starts with / (like /admin)") }
        guard !name.contains(",") && !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw CommandError(column: token.column, "a namespace cannot contain ',' or control characters")
        }
        return name
    }

    static func parseDuration(_ text: String) -> Int? {
        let ms: Int?
        if text.hasSuffix("ms") { ms = Int(text.dropLast(2)) }
        else if text.hasSuffix("s") { ms = Double(text.dropLast()).map { Int($0 * 1000) } }
        else { ms = Int(text) }
        guard let ms, (0...60_000).contains(ms) else { return nil }
        return ms
    }

    static func parseHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.lowercased().hasPrefix("0x") ? String(text.dropFirst(2)) : text)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let b = UInt8(String(digits[i...i + 1]), radix: 16) else { return nil }
            bytes.append(b)
        }
        return bytes
    }
}
