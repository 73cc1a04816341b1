import WireJSON

/// The data of the `open` packet: the session id and the parameters the client must follow.
public struct EngineHandshake: Sendable, Hashable {
    public var sid: String
    /// Transports better than the current one (`["websocket"]` on polling, `[]` on WebSocket).
    public var upgrades: [String]
    /// Milliseconds between the server's pings.
    public var pingInterval: Int
    /// Milliseconds the client has to answer a ping.
    public var pingTimeout: Int
    /// The most bytes the client should batch into one polling body; absent from servers older than v4.1.
    public var maxPayload: Int?

    public init(sid: String, upgrades: [String] = ["websocket"], pingInterval: Int = 25_000,
                pingTimeout: Int = 20_000, maxPayload: Int? = 1_000_000) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// The JSON object, fields in the order the reference server writes them.
    public var json: JSONValue {
        var object = JSONObject()
        object["sid"] = .string(sid)
        object["upgrades"] = .array(upgrades.map { .string($0) })
        object["pingInterval"] = .int(Int64(pingInterval))
        object["pingTimeout"] = .int(Int64(pingTimeout))
        if let maxPayload { object["maxPayload"] = .int(Int64(maxPayload)) }
        return .object(object)
    }

    public var jsonText: String { json.jsonText }

    /// Reads the handshake from the open packet's JSON; unknown fields are ignored.
    public init(jsonText: String) throws(EngineHandshakeError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(jsonText)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(json: value)
    }

    public init(json: JSONValue) throws(EngineHandshakeError) {
        guard let object = json.objectValue else { throw .notAnObject }
        guard let sid = object["sid"]?.stringValue, !sid.isEmpty else { throw .badField("sid", expected: "a non-empty string") }
        guard let upgradeValues = object["upgrades"]?.arrayValue else { throw .badField("upgrades", expected: "an array of strings") }
        var upgrades: [String] = []
        for value in upgradeValues {
            guard let name = value.stringValue else { throw .badField("upgrades", expected: "an array of strings") }
            upgrades.append(name)
        }
        func milliseconds(_ key: String, required: Bool) throws(EngineHandshakeError) -> Int? {
            switch object[key] {
            case .int(let v)? where v >= 0 && v <= Int64(Int32.max): return Int(v)
            case nil where !required: return nil
            default: throw .badField(key, expected: "a non-negative integer")
            }
        }
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = try milliseconds("pingInterval", required: true)!
        self.pingTimeout = try milliseconds("pingTimeout", required: true)!
        self.maxPayload = try milliseconds("maxPayload", required: false)
    }
}

/// Why an open packet's data is not a usable handshake.
public enum EngineHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJSON(JSONError)
    case notAnObject
    case badField(String, expected: String)

    public var description: String {
        switch self {
        case .invalidJSON(let e): return "handshake is not valid JSON: \(e)"
        case .notAnObject: return "handshake must be a JSON object"
        case .badField(let name, let expected): return "handshake field \"\(name)\" must be \(expected)"
        }
    }
}
