import SocketIOProtocol

/// The namespaces of one connection and what each packet may do in each one's state (Socket.IO
/// v5, "Connection to a namespace"; socket.io's server): CONNECT only for a namespace not joined
/// nor being joined; everything else only for one joined. A packet in the wrong state ends the
/// connection. Generic over the member (the server's socket) so that tests can use plain values.
struct NamespaceMemberships<Member> {
    enum Membership {
        /// The CONNECT is in the middleware chain (or the namespace is being created).
        case connecting
        case joined(Member)
    }

    private(set) var byName: [String: Membership] = [:]

    enum Verdict {
        /// A CONNECT for a namespace not joined: run it (the namespace is now `connecting`).
        case connect
        /// A second CONNECT while the first is in the chain: nothing more to do.
        case ignore
        /// An event or an ack for the member.
        case deliver(Member)
        /// The client leaves the namespace (the member is no longer listed).
        case leave(Member)
        /// A packet in the wrong state for its namespace: the connection ends.
        case closeConnection
    }

    /// What `type` for `namespace` does now, and the transition it makes.
    mutating func packet(_ type: SocketPacketType, for namespace: String) -> Verdict {
        switch (type, byName[namespace]) {
        case (.connect, nil):
            byName[namespace] = .connecting
            return .connect
        case (.connect, .connecting?):
            return .ignore
        case (.event, .joined(let member)?), (.binaryEvent, .joined(let member)?), (.ack, .joined(let member)?),
             (.binaryAck, .joined(let member)?):
            return .deliver(member)
        case (.disconnect, .joined(let member)?):
            byName[namespace] = nil
            return .leave(member)
        case (.connectError, _):
            // Only servers send CONNECT_ERROR.
            return .closeConnection
        case (.connect, .joined?), (.disconnect, _), (.event, _), (.binaryEvent, _), (.ack, _), (.binaryAck, _):
            return .closeConnection
        }
    }

    /// Whether binary data for `namespace` may be held until its attachments come (joined only).
    func isJoined(_ namespace: String) -> Bool {
        if case .joined? = byName[namespace] { return true }
        return false
    }

    /// The middleware chain ended: joined, or refused (the namespace is free to be tried again).
    /// False when the connection no longer waits for it (closed meanwhile).
    mutating func chainEnded(_ namespace: String, admitted member: Member?) -> Bool {
        guard case .connecting? = byName[namespace] else { return false }
        byName[namespace] = member.map(Membership.joined)
        return true
    }

    /// The member left by the server's doing (disconnect, kick): true if it was listed.
    mutating func remove(_ namespace: String, where isMember: (Member) -> Bool) -> Bool {
        guard case .joined(let member)? = byName[namespace], isMember(member) else { return false }
        byName[namespace] = nil
        return true
    }

    /// Every member, leaving none listed (the connection ends).
    mutating func removeAll() -> [Member] {
        defer { byName = [:] }
        return byName.values.compactMap { if case .joined(let member) = $0 { member } else { nil } }
    }

    var hasMembers: Bool {
        byName.values.contains { if case .joined = $0 { true } else { false } }
    }
}
