/// One Socket.IO packet. Binary values sit inline in `payload`; the encoder turns them into
/// placeholders and attachments, and the decoder puts them back.
public struct SocketPacket: Sendable, Hashable {
    public var type: SocketPacketType
    /// Starts with `/`; the main namespace is `/`.
    public var namespace: String
    /// The acknowledgement id, when the sender wants an ACK back (or this is one).
    public var id: UInt64?
    public var payload: JSONValue?

    /// The largest ack id a JavaScript peer can represent exactly (2^53 - 1).
    public static let maxAckID: UInt64 = (1 << 53) - 1

    public init(type: SocketPacketType, namespace: String = "/", id: UInt64? = nil, payload: JSONValue? = nil) {
        self.type = type
        self.namespace = namespace
        self.id = id
        self.payload = payload
    }

    /// An event; becomes BINARY_EVENT on the wire when an argument holds binary.
    public static func event(_ name: String, _ arguments: [JSONValue] = [], namespace: String = "/", id: UInt64? = nil) -> SocketPacket {
        // One array, sized once (joining a one-element literal to the arguments cost two).
        var items: [JSONValue] = []
        items.reserveCapacity(1 + arguments.count)
        items.append(.string(name))
        items.append(contentsOf: arguments)
        return SocketPacket(type: .event, namespace: namespace, id: id, payload: .array(items))
    }

    /// An acknowledgement; becomes BINARY_ACK on the wire when an argument holds binary.
    public static func ack(_ arguments: [JSONValue], id: UInt64, namespace: String = "/") -> SocketPacket {
        SocketPacket(type: .ack, namespace: namespace, id: id, payload: .array(arguments))
    }

    public static func connect(namespace: String = "/", auth: JSONObject? = nil) -> SocketPacket {
        SocketPacket(type: .connect, namespace: namespace, payload: auth.map { .object($0) })
    }

    /// The server's acceptance of a CONNECT: the socket id (and, with connection-state recovery, a pid).
    public static func connected(namespace: String = "/", sid: String) -> SocketPacket {
        SocketPacket(type: .connect, namespace: namespace, payload: ["sid": .string(sid)])
    }

    public static func connectError(namespace: String = "/", message: String, data: JSONValue? = nil) -> SocketPacket {
        var object = JSONObject()
        object["message"] = .string(message)
        if let data { object["data"] = data }
        return SocketPacket(type: .connectError, namespace: namespace, payload: .object(object))
    }

    public static func disconnect(namespace: String = "/") -> SocketPacket {
        SocketPacket(type: .disconnect, namespace: namespace)
    }

    /// The event name of an EVENT or BINARY_EVENT.
    public var eventName: String? {
        guard type.isEvent, case .array(let items)? = payload, case .string(let name)? = items.first else { return nil }
        return name
    }

    /// The arguments: after the name for events, the whole array for acks.
    public var arguments: [JSONValue] {
        guard case .array(let items)? = payload else { return [] }
        return type.isEvent ? Array(items.dropFirst()) : items
    }

    /// Number of binary values in the payload: the attachments this packet travels with.
    public var binaryCount: Int {
        payload.map(Self.countBinary) ?? 0
    }

    static func countBinary(_ value: JSONValue) -> Int {
        switch value {
        case .binary: return 1
        case .array(let items): return items.reduce(0) { $0 + countBinary($1) }
        case .object(let object): return object.values.reduce(0) { $0 + countBinary($1) }
        default: return 0
        }
    }
}
