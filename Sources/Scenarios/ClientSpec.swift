import SocketIOServer

/// Simulated clients a scenario declares: who connects where, how, and what they send and how often.
/// The console starts them with the scenario (its `--no-clients` leaves them out), so a demo's
/// clients are data, like its server.
public struct ClientSpec: Sendable, Equatable {
    public enum Transport: String, Sendable, CaseIterable {
        case polling, websocket, upgrade
    }

    /// One thing a client sends again and again.
    public struct Repeat: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// A plain emit.
            case emit
            /// An emit asking for an ack (answered or timed out after 5 s, then the next).
            case ask
        }

        public var milliseconds: Int
        public var kind: Kind
        public var event: String
        public var arguments: [ClientValue]

        public init(every milliseconds: Int, _ kind: Kind, _ event: String, _ arguments: [ClientValue] = []) {
            self.milliseconds = milliseconds
            self.kind = kind
            self.event = event
            self.arguments = arguments
        }
    }

    public var name: String
    public var namespace: String
    public var count: Int
    public var auth: JSONObject?
    /// Nil: the console's default (polling upgraded to WebSocket).
    public var transport: Transport?
    public var repeats: [Repeat]

    public init(_ name: String, namespace: String, count: Int = 1, auth: JSONObject? = nil, transport: Transport? = nil,
                repeats: [Repeat] = []) {
        self.name = name
        self.namespace = namespace
        self.count = count
        self.auth = auth
        self.transport = transport
        self.repeats = repeats
    }
}

/// An argument a simulated client sends: a JSON value, or `tick`, how many times this repeat has
/// fired (from 1), so successive messages differ.
public enum ClientValue: Sendable, Equatable {
    case literal(JSONValue)
    case tick

    public static func resolve(_ values: [ClientValue], tick: Int) -> [JSONValue] {
        values.map { value in
            switch value {
            case .literal(let json): return json
            case .tick: return .int(Int64(tick))
            }
        }
    }
}
