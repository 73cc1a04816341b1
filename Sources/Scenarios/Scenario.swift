import SocketIOServer

/// A server described as data: what `sioscope serve` and the console run. Built-in scenarios are
/// values of this type; scenario files load into the same values.
public struct Scenario: Sendable {
    public var name: String
    public var summary: String
    public var engine: EngineServerConfiguration
    /// Milliseconds a client has to send its first CONNECT (`SocketIOServerConfiguration.connectTimeout`).
    public var connectTimeout: Int
    /// Bounds on each Socket.IO packet: attachments, JSON depth.
    public var socketLimits: SocketLimits
    /// A bare Engine.IO echo server (the engine.io package's test server) on this path, if set.
    public var engineEchoPath: String?
    public var namespaces: [NamespaceSpec]
    /// Simulated clients to run against it (the console starts them).
    public var clients: [ClientSpec]

    public init(name: String, summary: String, engine: EngineServerConfiguration = .init(), connectTimeout: Int = 45_000,
                socketLimits: SocketLimits = .init(), engineEchoPath: String? = nil, namespaces: [NamespaceSpec],
                clients: [ClientSpec] = []) {
        self.name = name
        self.summary = summary
        self.engine = engine
        self.connectTimeout = connectTimeout
        self.socketLimits = socketLimits
        self.engineEchoPath = engineEchoPath
        self.namespaces = namespaces
        self.clients = clients
    }

    /// What the Socket.IO server is built with.
    public var serverConfiguration: SocketIOServerConfiguration {
        SocketIOServerConfiguration(engine: engine, connectTimeout: connectTimeout, limits: socketLimits)
    }
}

/// One namespace (by name) or a parent of dynamic ones (by regex) and what happens in it.
public struct NamespaceSpec: Sendable {
    public enum Match: Sendable {
        case name(String)
        case regex(String)
        /// A predicate parent (socket.io's `io.of((name, auth, next) => ...)`): names that start
        /// with this text and go on past it.
        case prefix(String)
    }

    public var match: Match
    public var middleware: [MiddlewareSpec]
    /// Run for every socket that connects, after the CONNECT reply.
    public var onConnect: [Action]
    /// Run for each received event of that name.
    public var events: [String: [Action]]

    public init(_ match: Match, middleware: [MiddlewareSpec] = [], onConnect: [Action] = [], events: [String: [Action]] = [:]) {
        self.match = match
        self.middleware = middleware
        self.onConnect = onConnect
        self.events = events
    }
}

/// A named middleware whose rule is data.
public struct MiddlewareSpec: Sendable {
    public enum Rule: Sendable {
        case allow
        /// Refuse unless the condition holds.
        case require(Condition, message: String, data: JSONValue?)
        case reject(message: String, data: JSONValue?)
        case delay(milliseconds: Int)
    }

    public var name: String
    public var rule: Rule

    public init(_ name: String, _ rule: Rule) {
        self.name = name
        self.rule = rule
    }
}

/// A test on the socket's facts or the event's arguments, as in `auth.token == "secret"`.
public struct Condition: Sendable {
    public enum Test: Sendable {
        case equals(JSONValue)
        case notEquals(JSONValue)
        case exists
    }

    public var value: Value
    public var test: Test

    public init(_ value: Value, _ test: Test) {
        self.value = value
        self.test = test
    }
}

/// A value built from the socket and the event being handled.
public indirect enum Value: Sendable {
    case literal(JSONValue)
    /// The event's argument at this index (from 0).
    case argument(Int)
    /// All the event's arguments, as separate arguments where a list is expected.
    case arguments
    /// The CONNECT auth object, or a path inside it (`auth.token`).
    case auth([String])
    case query(String)
    case header(String)
    case socketID
    case namespace
    case transport
    case rooms
    /// Sockets connected to the namespace.
    case socketCount
    /// Whether the socket with the id given by the inner value is connected to the namespace.
    case isConnected(Value)
    /// Whether the socket with id `id` is connected to the namespace named by `namespace`.
    case isConnectedIn(namespace: Value, id: Value)
    /// A JSON object or array built from values (`{"sid": socket.id}`); all-literal ones are `.literal`.
    case object([ValueField])
    case array([Value])

    /// The JSON value, when this is a literal.
    public var literalValue: JSONValue? {
        if case .literal(let value) = self { return value }
        return nil
    }
}

/// One member of an object built from values.
public struct ValueField: Sendable {
    public var key: String
    public var value: Value

    public init(key: String, value: Value) {
        self.key = key
        self.value = value
    }
}

/// Something the server does in response to a connection or an event.
public enum Action: Sendable {
    /// Emit to the sender.
    case emit(event: String, arguments: [Value])
    /// Answer the event's ack request (nothing if it did not ask).
    case ack([Value])
    /// Emit to the namespace or a room, with or without the sender.
    case broadcast(event: String, arguments: [Value], room: Value?, includeSender: Bool)
    case join(Value)
    case leave(Value)
    /// Disconnect the socket from its namespace.
    case disconnect
    /// Emit to the sender asking for an ack, then emit the client's ack arguments back as `replyEvent`.
    case emitWithAck(event: String, arguments: [Value], replyEvent: String)
    /// The action, only when the condition holds for this event (`on x if arg0 == "y" ...`).
    indirect case when(Condition, Action)
}
