@testable import SocketIOServer
import SocketIOProtocol
import Testing

/// Each packet type in each state of its namespace: the Socket.IO v5 table socket.io's server follows.
@Suite("Namespace memberships")
struct NamespaceMembershipsTests {
    typealias Memberships = NamespaceMemberships<String>

    enum State: String, CustomStringConvertible {
        case none, connecting, joined
        var description: String { rawValue }
    }

    static func memberships(_ state: State) -> Memberships {
        var memberships = Memberships()
        if state != .none { _ = memberships.packet(.connect, for: "/chat") }
        if state == .joined { _ = memberships.chainEnded("/chat", admitted: "member") }
        return memberships
    }

    static func describe(_ verdict: Memberships.Verdict) -> String {
        switch verdict {
        case .connect: "connect"
        case .ignore: "ignore"
        case .deliver(let member): "deliver to \(member)"
        case .leave(let member): "leave \(member)"
        case .closeConnection: "close the connection"
        }
    }

    @Test("every packet type in every state", arguments: [
        (SocketPacketType.connect, State.none, "connect"), (.connect, .connecting, "ignore"),
        (.connect, .joined, "close the connection"),
        (.event, .none, "close the connection"), (.event, .connecting, "close the connection"),
        (.event, .joined, "deliver to member"),
        (.binaryEvent, .none, "close the connection"), (.binaryEvent, .connecting, "close the connection"),
        (.binaryEvent, .joined, "deliver to member"),
        (.ack, .none, "close the connection"), (.ack, .connecting, "close the connection"), (.ack, .joined, "deliver to member"),
        (.binaryAck, .none, "close the connection"), (.binaryAck, .joined, "deliver to member"),
        (.disconnect, .none, "close the connection"), (.disconnect, .connecting, "close the connection"),
        (.disconnect, .joined, "leave member"),
        (.connectError, .none, "close the connection"), (.connectError, .joined, "close the connection"),
    ] as [(SocketPacketType, State, String)])
    func table(_ type: SocketPacketType, _ state: State, _ expected: String) {
        var memberships = Self.memberships(state)
        #expect(Self.describe(memberships.packet(type, for: "/chat")) == expected)
    }

    @Test("a packet for another namespace than the one joined closes the connection")
    func otherNamespace() {
        var memberships = Self.memberships(.joined)
        #expect(Self.describe(memberships.packet(.event, for: "/admin")) == "close the connection")
    }

    @Test("the chain's end: admitted joins, refused frees the namespace for another try")
    func chainEnd() {
        var memberships = Self.memberships(.connecting)
        #expect(memberships.chainEnded("/chat", admitted: nil) == true)
        #expect(!memberships.isJoined("/chat"))
        #expect(Self.describe(memberships.packet(.connect, for: "/chat")) == "connect")
        #expect(memberships.chainEnded("/chat", admitted: "member") == true)
        #expect(memberships.isJoined("/chat"))
        #expect(memberships.hasMembers)
        #expect(memberships.chainEnded("/chat", admitted: "again") == false, "no chain was waited for")
    }

    @Test("leaving and closing: DISCONNECT, the server's removal, and the connection's end")
    func leaving() {
        var memberships = Self.memberships(.joined)
        #expect(Self.describe(memberships.packet(.disconnect, for: "/chat")) == "leave member")
        #expect(!memberships.hasMembers)
        #expect(Self.describe(memberships.packet(.disconnect, for: "/chat")) == "close the connection", "left already")

        var removed = Self.memberships(.joined)
        #expect(removed.remove("/chat", where: { $0 == "someone else" }) == false)
        #expect(removed.remove("/chat", where: { $0 == "member" }) == true)
        #expect(!removed.isJoined("/chat"))

        var closing = Self.memberships(.joined)
        _ = closing.packet(.connect, for: "/admin")
        #expect(closing.removeAll() == ["member"])
        #expect(closing.chainEnded("/admin", admitted: "late") == false, "a chain that ends after the close joins nothing")
    }
}
