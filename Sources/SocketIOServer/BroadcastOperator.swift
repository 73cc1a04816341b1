/// Selects recipients in a namespace and emits to them: socket.io's `to(room)`, `in(room)`,
/// `except(room)`, `volatile`, chainable. The packet is encoded once and its bytes shared.
public struct BroadcastOperator: Sendable {
    let namespace: Namespace
    var rooms: Set<String> = []
    var exceptRooms: Set<String> = []
    var isVolatile = false

    /// Every socket of a namespace.
    public static func everyone(in namespace: Namespace) -> BroadcastOperator {
        BroadcastOperator(namespace: namespace)
    }

    public func to(_ rooms: String...) -> BroadcastOperator {
        var copy = self
        copy.rooms.formUnion(rooms)
        return copy
    }

    public func `in`(_ rooms: String...) -> BroadcastOperator {
        var copy = self
        copy.rooms.formUnion(rooms)
        return copy
    }

    public func except(_ rooms: String...) -> BroadcastOperator {
        var copy = self
        copy.exceptRooms.formUnion(rooms)
        return copy
    }

    public var volatile: BroadcastOperator {
        var copy = self
        copy.isVolatile = true
        return copy
    }

    /// The sockets this operator reaches now.
    public func fetchSockets() -> [ServerSocket] {
        namespace.sockets(ids: namespace.adapter.sockets(in: rooms, except: exceptRooms))
    }

    /// Emits to every selected socket. Returns how many it reached.
    @discardableResult
    public func emit(_ event: String, _ arguments: [JSONValue] = []) throws(SocketEncodeError) -> Int {
        let packet = SocketPacket.event(event, arguments, namespace: namespace.name)
        let encoded = try SocketPacketEncoder.encode(packet)
        let recipients = fetchSockets()
        // Framed once for all: each recipient's WebSocket writes the same bytes.
        let shared = recipients.count > 1 ? SharedPacket(.message(encoded.text)) : nil
        for socket in recipients { socket.connection.send(packet, encoded: encoded, volatile: isVolatile, shared: shared) }
        return recipients.count
    }

    public func socketsJoin(_ rooms: String...) { socketsJoin(rooms) }
    public func socketsJoin(_ rooms: [String]) {
        for socket in fetchSockets() { socket.join(Set(rooms)) }
    }

    public func socketsLeave(_ rooms: String...) { socketsLeave(rooms) }
    public func socketsLeave(_ rooms: [String]) {
        for socket in fetchSockets() { for room in rooms { socket.leave(room) } }
    }

    public func disconnectSockets(close: Bool = false) {
        for socket in fetchSockets() { socket.disconnect(close: close) }
    }
}
