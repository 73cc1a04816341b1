import Testing
@testable import SocketIOProtocol

/// Every example of the Socket.IO v5 specification (docs/socket.io-protocol/v5-current.md in the
/// socket.io repository, its sample session, and shared/design/PROTOCOL.md), both ways.
@Suite("Socket.IO v5 spec examples")
struct SocketSpecExamplesTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var wire: String
        var attachments: [[UInt8]] = []
        var packet: SocketPacket
        var testDescription: String { wire }
    }

    static let placeholder0: JSONValue = ["_placeholder": true, "num": 0]

    static let vectors: [Vector] = [
        // Connection to a namespace
        Vector(wire: "0", packet: .connect()),
        Vector(wire: "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", packet: .connected(sid: "wZX3oN0bSVIhsaknAAAI")),
        Vector(wire: "0/admin,", packet: .connect(namespace: "/admin")),
        Vector(wire: "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", packet: .connected(namespace: "/admin", sid: "oSO0OpakMV_3jnilAAAA")),
        Vector(wire: "0/admin,{\"token\":\"123\"}", packet: .connect(namespace: "/admin", auth: JSONObject([("token", "123")]))),
        Vector(wire: "0/admin,{\"sid\":\"iLnRaVGHY4B75TeVAAAB\"}", packet: .connected(namespace: "/admin", sid: "iLnRaVGHY4B75TeVAAAB")),
        Vector(wire: "4{\"message\":\"Not authorized\"}", packet: .connectError(message: "Not authorized")),
        Vector(wire: "4/admin,{\"message\":\"forbidden\",\"data\":{\"reason\":\"no token\"}}",
               packet: .connectError(namespace: "/admin", message: "forbidden", data: ["reason": "no token"])),
        // Sending and receiving data
        Vector(wire: "2[\"foo\"]", packet: .event("foo")),
        Vector(wire: "2[\"bar\"]", packet: .event("bar")),
        Vector(wire: "2/admin,[\"bar\"]", packet: .event("bar", namespace: "/admin")),
        Vector(wire: "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", attachments: [[1, 2, 3, 4]],
               packet: SocketPacket(type: .binaryEvent, payload: ["baz", .binary([1, 2, 3, 4])])),
        Vector(wire: "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
               attachments: [[1, 2], [3, 4]],
               packet: SocketPacket(type: .binaryEvent, namespace: "/admin", payload: ["baz", .binary([1, 2]), .binary([3, 4])])),
        Vector(wire: "2[\"chat\",\"hi\"]", packet: .event("chat", ["hi"])),
        Vector(wire: "2[\"hey\",\"Jude\"]", packet: .event("hey", ["Jude"])),
        Vector(wire: "2[\"hello\"]", packet: .event("hello")),
        // Acknowledgement
        Vector(wire: "212[\"foo\"]", packet: .event("foo", id: 12)),
        Vector(wire: "312[]", packet: .ack([], id: 12)),
        Vector(wire: "2/admin,13[\"foo\"]", packet: .event("foo", namespace: "/admin", id: 13)),
        Vector(wire: "3/admin,13[\"bar\"]", packet: .ack(["bar"], id: 13, namespace: "/admin")),
        Vector(wire: "51-14[\"foo\",{\"_placeholder\":true,\"num\":0}]", attachments: [[1, 2, 3, 4]],
               packet: SocketPacket(type: .binaryEvent, id: 14, payload: ["foo", .binary([1, 2, 3, 4])])),
        Vector(wire: "314[\"bar\"]", packet: .ack(["bar"], id: 14)),
        Vector(wire: "215[\"foo\"]", packet: .event("foo", id: 15)),
        Vector(wire: "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", attachments: [[1, 2, 3, 4]],
               packet: SocketPacket(type: .binaryAck, id: 15, payload: ["bar", .binary([1, 2, 3, 4])])),
        Vector(wire: "2/admin,12[\"delete user\",7]", packet: .event("delete user", [7], namespace: "/admin", id: 12)),
        Vector(wire: "3/admin,12[\"ok\"]", packet: .ack(["ok"], id: 12, namespace: "/admin")),
        // Sample session over WebSocket
        Vector(wire: "0/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}", packet: .connected(namespace: "/admin", sid: "-G5j-67EZFp-q59rADQM")),
        Vector(wire: "2/admin,1[\"tellme\"]", packet: .event("tellme", namespace: "/admin", id: 1)),
        Vector(wire: "61-/admin,1[{\"_placeholder\":true,\"num\":0}]", attachments: [[0xDE, 0xAD]],
               packet: SocketPacket(type: .binaryAck, namespace: "/admin", id: 1, payload: [.binary([0xDE, 0xAD])])),
        // Disconnection
        Vector(wire: "1", packet: .disconnect()),
        Vector(wire: "1/admin,", packet: .disconnect(namespace: "/admin")),
    ]

    @Test("decode: text plus attachments gives the packet", arguments: vectors)
    func decode(_ v: Vector) throws {
        var decoder = SocketPacketDecoder()
        var result = try decoder.decode(text: v.wire)
        for (i, attachment) in v.attachments.enumerated() {
            #expect(result == .needsAttachments(remaining: v.attachments.count - i))
            result = try decoder.decode(binary: attachment)
        }
        #expect(result == .packet(v.packet))
        #expect(decoder.awaitingAttachments == 0)
    }

    @Test("encode: the packet gives the text and attachments", arguments: vectors)
    func encode(_ v: Vector) throws {
        let encoded = try SocketPacketEncoder.encode(v.packet)
        #expect(encoded.text == v.wire)
        #expect(encoded.attachments == v.attachments)
    }

    @Test("EVENT and ACK with binary arguments are sent as BINARY_EVENT and BINARY_ACK")
    func binaryUpgrade() throws {
        let event = try SocketPacketEncoder.encode(.event("upload", [["file": .binary([9])]], namespace: "/admin", id: 12))
        #expect(event.text == "51-/admin,12[\"upload\",{\"file\":{\"_placeholder\":true,\"num\":0}}]")
        #expect(event.attachments == [[9]])
        let ack = try SocketPacketEncoder.encode(.ack([.binary([])], id: 3))
        #expect(ack.text == "61-3[{\"_placeholder\":true,\"num\":0}]")
        #expect(ack.attachments == [[]])
    }

    @Test("a namespace without a trailing comma is still read, as the reference parser does")
    func namespaceAtEnd() throws {
        var decoder = SocketPacketDecoder()
        #expect(try decoder.decode(text: "1/admin") == .packet(.disconnect(namespace: "/admin")))
    }

    @Test("a lone UTF-16 surrogate escape becomes U+FFFD rather than failing the packet")
    func loneSurrogate() throws {
        var decoder = SocketPacketDecoder()
        #expect(try decoder.decode(text: "2[\"a\\ud800b\"]") == .packet(.event("a\u{FFFD}b")))
        #expect(try decoder.decode(text: "2[\"\\ud83d\\ude00\"]") == .packet(.event("😀")))
    }

    @Test("reserved event names are known", arguments: ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"])
    func reserved(_ name: String) {
        #expect(ReservedEvents.contains(name))
        #expect(throws: SocketEncodeError.invalidPacket(.reservedEventName(name))) { try SocketPacketEncoder.encode(.event(name)) }
    }

    @Test("packet type digits and names", arguments: SocketPacketType.allCases)
    func packetTypes(_ type: SocketPacketType) {
        #expect(SocketPacketType(digit: type.digit) == type)
        #expect(["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"][Int(type.rawValue)] == type.description)
    }
}
