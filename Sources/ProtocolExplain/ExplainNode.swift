import WireJSON

/// One part of a dissected packet: what the bytes are, where they sit, what they mean.
/// Nodes nest: an Engine.IO packet holds its type and a Socket.IO packet, which holds its fields.
public struct ExplainNode: Sendable, Hashable {
    /// What this part is called ("type", "namespace", "Socket.IO packet", ...).
    public var label: String
    /// The characters on the wire, as pasted (control characters escaped).
    public var raw: String?
    /// Byte offset of `raw` in the input as the user gave it.
    public var offset: Int?
    /// The decoded value, short ("message (4)", "\"/admin\"", "12").
    public var value: String?
    /// What it means, as a teacher would say it.
    public var meaning: String?
    public var children: [ExplainNode]

    public init(_ label: String, raw: String? = nil, offset: Int? = nil, value: String? = nil, meaning: String? = nil,
                children: [ExplainNode] = []) {
        self.label = label
        self.raw = raw
        self.offset = offset
        self.value = value
        self.meaning = meaning
        self.children = children
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["label"] = .string(label)
        if let raw { object["raw"] = .string(raw) }
        if let offset { object["offset"] = .int(Int64(offset)) }
        if let value { object["value"] = .string(value) }
        if let meaning { object["meaning"] = .string(meaning) }
        if !children.isEmpty { object["children"] = .array(children.map(\.json)) }
        return .object(object)
    }
}

/// How an input was read.
public enum InputForm: String, Sendable, Hashable {
    case webSocketFrame = "websocket-frame"
    case pollingBody = "polling-body"
    case binaryMessage = "binary-message"
    case socketIOPacket = "socketio-packet"

    public var title: String {
        switch self {
        case .webSocketFrame: return "WebSocket text frame: one Engine.IO packet"
        case .pollingBody: return "HTTP long-polling body: Engine.IO packets joined by the record separator \\x1e"
        case .binaryMessage: return "binary message (b + base64): one Engine.IO binary packet"
        case .socketIOPacket: return "Socket.IO packet text (without the Engine.IO \"4\" in front)"
        }
    }
}

/// Why an input could not be explained to the end: the message and the offending byte.
public struct ExplainError: Error, Sendable, Hashable {
    /// Which protocol layer refused it ("Engine.IO", "Socket.IO").
    public var layer: String
    public var message: String
    /// Byte offset in the input as the user gave it.
    public var offset: Int

    public var json: JSONValue {
        ["layer": .string(layer), "message": .string(message), "offset": .int(Int64(offset))]
    }
}

/// One command-line argument, dissected.
public struct ExplainedInput: Sendable, Hashable {
    public var input: String
    public var form: InputForm
    public var nodes: [ExplainNode]
    public var error: ExplainError?

    public var json: JSONValue {
        var object = JSONObject()
        object["input"] = .string(input)
        object["form"] = .string(form.rawValue)
        object["packets"] = .array(nodes.map(\.json))
        if let error { object["error"] = error.json }
        return .object(object)
    }
}

/// Everything `sioscope explain` was given, in order.
public struct Explanation: Sendable, Hashable {
    public var inputs: [ExplainedInput]
    /// Notes about the sequence as a whole (attachments still due at the end, say).
    public var notes: [String]

    public var hasError: Bool { inputs.contains { $0.error != nil } }

    public var json: JSONValue {
        ["inputs": .array(inputs.map(\.json)), "notes": .array(notes.map { .string($0) })]
    }
}
