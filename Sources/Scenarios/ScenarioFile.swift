import SocketIOServer

/// Why a scenario file cannot be used: where, and what was expected there.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads scenario files: one statement per line, `#` comments, indentation free. Declarative only:
/// a scenario file cannot run code. The format is described in the README.
///
///     set ping-interval 300
///     namespace /admin
///       use auth require auth.token == "secret" else "forbidden" {"reason":"no token"}
///       on connect emit welcome "admin" socket.id
///       on "delete user" ack "ok" arg0
public enum ScenarioFile {
    public static func parse(_ text: String, file: String = "scenario", defaultName: String = "file") throws(ScenarioFileError) -> Scenario {
        var scenario = Scenario(name: defaultName, summary: "from \(file)", engine: EngineServerConfiguration(), namespaces: [])
        var current: NamespaceSpec? = nil
        var client: ClientSpec? = nil
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var tokens: [Token]
            do {
                tokens = try Tokenizer.tokens(String(rawLine))
            } catch {
                throw ScenarioFileError(file: file, line: lineNumber, column: error.column, message: error.message)
            }
            guard !tokens.isEmpty else { continue }
            var line = LineReader(tokens: tokens, file: file, line: lineNumber, end: rawLine.count + 1)
            let keyword = try line.word("a statement: \(statements)")
            if let open = client, !Self.clientStatements.contains(keyword) {
                scenario.clients.append(open)
                client = nil
            }
            switch keyword {
            case "scenario":
                scenario.name = try line.word("the scenario's name")
            case "set":
                try applySetting(&scenario, &line)
            case "engine-echo":
                scenario.engineEchoPath = try line.word("a path such as /engine.io/")
            case "namespace":
                if let finished = current { scenario.namespaces.append(finished) }
                let first = try line.word("a namespace name starting with /, regex PATTERN or prefix TEXT")
                if first == "prefix" {
                    let prefix = try line.word("the start of the names the predicate accepts, such as /team-")
                    guard prefix.hasPrefix("/") else { throw line.error("a prefix starts with /", at: line.position - 1) }
                    current = NamespaceSpec(.prefix(prefix))
                } else if first == "regex" {
                    let pattern = try line.word("a regular expression matched against whole namespace names")
                    do { _ = try Regex(pattern) } catch {
                        throw line.error("invalid regular expression \(pattern): \(error)", at: line.position - 1)
                    }
                    current = NamespaceSpec(.regex(pattern))
                } else {
                    guard first.hasPrefix("/"), !first.contains(",") else {
                        throw line.error("a namespace name must start with / and contain no comma", at: line.position - 1)
                    }
                    current = NamespaceSpec(.name(first))
                }
            case "use":
                guard current != nil else { throw line.error("'use' must follow a 'namespace' line", at: 0) }
                current!.middleware.append(try middleware(&line))
            case "on":
                guard current != nil else { throw line.error("'on' must follow a 'namespace' line", at: 0) }
                let event = try line.name("an event name, or connect")
                var action: Action
                if line.peekWord() == "if" {
                    _ = try line.word("if")
                    let condition = try line.condition()
                    action = .when(condition, try self.action(&line))
                } else {
                    action = try self.action(&line)
                }
                if event == "connect" {
                    current!.onConnect.append(action)
                } else {
                    current!.events[event, default: []].append(action)
                }
            case "client":
                if let finished = current { scenario.namespaces.append(finished) }
                current = nil
                client = try clientHeader(&line)
            case "auth", "transport", "count", "every":
                guard client != nil else { throw line.error("'\(keyword)' must follow a 'client' line", at: 0) }
                try clientSetting(keyword, &client!, &line)
            default:
                throw line.error("unknown statement '\(keyword)': expected \(statements)", at: 0)
            }
            try line.expectEnd()
        }
        if let finished = current { scenario.namespaces.append(finished) }
        if let finished = client { scenario.clients.append(finished) }
        if scenario.namespaces.isEmpty {
            throw ScenarioFileError(file: file, line: max(lineNumber, 1), column: 1, message: "the scenario declares no namespace (add a line such as: namespace /)")
        }
        return scenario
    }

    static func applySetting(_ scenario: inout Scenario, _ line: inout LineReader) throws(ScenarioFileError) {
        let setting = try line.word("a setting: \(settings)")
        switch setting {
        case "path": scenario.engine.path = try line.word("a path such as /socket.io/")
        case "ping-interval": scenario.engine.pingInterval = try line.positiveInteger("milliseconds")
        case "ping-timeout": scenario.engine.pingTimeout = try line.positiveInteger("milliseconds")
        case "max-payload": scenario.engine.maxHttpBufferSize = try line.positiveInteger("bytes")
        case "connect-timeout": scenario.connectTimeout = try line.positiveInteger("milliseconds")
        case "max-attachments":
            let count = try line.positiveInteger("attachments")
            guard count <= SocketLimits.mostAttachments else {
                throw line.error("expected at most \(SocketLimits.mostAttachments) attachments, found \(count)", at: line.position - 1)
            }
            scenario.socketLimits.maxAttachments = count
        case "max-depth":
            let depth = try line.positiveInteger("levels of nesting")
            guard depth <= JSONLimits.deepest else {
                throw line.error("expected at most \(JSONLimits.deepest) levels of nesting, found \(depth)", at: line.position - 1)
            }
            scenario.socketLimits.maxDepth = depth
        case "cors":
            var origins: [String] = []
            while !line.atEnd { origins.append(try line.word("an origin such as http://localhost:8080, or *")) }
            if origins.isEmpty { throw line.error("expected * or one or more origins", at: line.position) }
            scenario.engine.cors = CORSConfiguration(origins: origins == ["*"] ? .any : .list(origins))
        default:
            throw line.error("unknown setting '\(setting)': expected \(settings)", at: line.position - 1)
        }
    }

    static let statements = "scenario, set, engine-echo, namespace, use, on or client"
    /// What may follow a `client` line (anything else ends its block).
    static let clientStatements: Set<String> = ["auth", "transport", "count", "every"]

    /// `client NAME NAMESPACE`: a simulated client's block begins.
    static func clientHeader(_ line: inout LineReader) throws(ScenarioFileError) -> ClientSpec {
        let name = try line.name("the client's name")
        let namespace = try line.word("the namespace it connects to, starting with /")
        guard namespace.hasPrefix("/"), !namespace.contains(",") else {
            throw line.error("a namespace name must start with / and contain no comma", at: line.position - 1)
        }
        return ClientSpec(name, namespace: namespace)
    }

    /// A line of a client's block: `auth JSON`, `transport polling|websocket|upgrade`, `count N`,
    /// `every MS emit|ask EVENT VALUES...` (JSON literals and `tick`).
    static func clientSetting(_ keyword: String, _ client: inout ClientSpec, _ line: inout LineReader) throws(ScenarioFileError) {
        switch keyword {
        case "auth":
            guard case .object(let auth) = try line.literal("the auth object, in JSON") else {
                throw line.error("expected the auth object, in JSON (braces)", at: line.position - 1)
            }
            client.auth = auth
        case "transport":
            let word = try line.word("polling, websocket or upgrade")
            guard let transport = ClientSpec.Transport(rawValue: word) else {
                throw line.error("expected polling, websocket or upgrade, found '\(word)'", at: line.position - 1)
            }
            client.transport = transport
        case "count":
            let count = try line.positiveInteger("clients")
            guard count <= 1_000 else { throw line.error("expected at most 1000 clients, found \(count)", at: line.position - 1) }
            client.count = count
        default:
            let milliseconds = try line.positiveInteger("milliseconds")
            let verb = try line.word("emit or ask")
            guard let kind = ClientSpec.Repeat.Kind(rawValue: verb) else {
                throw line.error("expected emit or ask, found '\(verb)'", at: line.position - 1)
            }
            let event = try line.name("the event to \(verb)")
            var arguments: [ClientValue] = []
            while !line.atEnd {
                if line.peekWord() == "tick" {
                    _ = try line.word("tick")
                    arguments.append(.tick)
                } else {
                    arguments.append(.literal(try line.literal("a JSON value or tick (a client sends data, not the server's values)")))
                }
            }
            client.repeats.append(ClientSpec.Repeat(every: milliseconds, kind, event, arguments))
        }
    }

    static let settings = "path, ping-interval, ping-timeout, max-payload, connect-timeout, max-attachments, max-depth or cors"

    static func middleware(_ line: inout LineReader) throws(ScenarioFileError) -> MiddlewareSpec {
        let name = try line.name("the middleware's name")
        let rule = try line.word("allow, reject, delay or require")
        switch rule {
        case "allow":
            return MiddlewareSpec(name, .allow)
        case "reject":
            let message = try line.string("the refusal message, in quotes")
            return MiddlewareSpec(name, .reject(message: message, data: line.atEnd ? nil : try line.literal("JSON data sent with the refusal")))
        case "delay":
            return MiddlewareSpec(name, .delay(milliseconds: try line.positiveInteger("milliseconds")))
        case "require":
            let condition = try line.condition()
            guard try line.word("else, then the refusal message") == "else" else {
                throw line.error("expected 'else' before the refusal message", at: line.position - 1)
            }
            let message = try line.string("the refusal message, in quotes")
            let data = line.atEnd ? nil : try line.literal("JSON data sent with the refusal")
            return MiddlewareSpec(name, .require(condition, message: message, data: data))
        default:
            throw line.error("unknown rule '\(rule)': expected allow, reject, delay or require", at: line.position - 1)
        }
    }

    static func action(_ line: inout LineReader) throws(ScenarioFileError) -> Action {
        let verb = try line.word("an action: emit, ack, broadcast, join, leave, disconnect or ask")
        switch verb {
        case "emit":
            let event = try line.name("the event to emit")
            return .emit(event: event, arguments: try line.values())
        case "ack":
            return .ack(try line.values())
        case "broadcast":
            var room: Value? = nil
            var includeSender = false
            while let option = line.peekWord(), option == "to" || option == "with-sender" {
                _ = try line.word("")
                if option == "to" { room = try line.value() } else { includeSender = true }
            }
            let event = try line.name("the event to broadcast")
            return .broadcast(event: event, arguments: try line.values(), room: room, includeSender: includeSender)
        case "join":
            return .join(try line.value())
        case "leave":
            return .leave(try line.value())
        case "disconnect":
            return .disconnect
        case "ask":
            let event = try line.name("the event to emit with an ack request")
            var arguments: [Value] = []
            while !line.atEnd, line.peekWord() != "then" { arguments.append(try line.value()) }
            guard try line.word("then, and the event that carries the client's answer") == "then" else {
                throw line.error("expected 'then' and the event that carries the client's answer", at: line.position - 1)
            }
            return .emitWithAck(event: event, arguments: arguments, replyEvent: try line.name("the event that carries the client's answer"))
        default:
            throw line.error("unknown action '\(verb)': expected emit, ack, broadcast, join, leave, disconnect or ask", at: line.position - 1)
        }
    }
}
