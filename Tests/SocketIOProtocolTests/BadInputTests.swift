import Testing
@testable import SocketIOProtocol

/// Each bad input gets its own, specific error at the right byte (offsets count from the start of
/// the Socket.IO packet text).
@Suite("Socket.IO bad input")
struct SocketBadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: [UInt8]
        var limits = SocketLimits()
        var kind: SocketDecodeError.Kind
        var offset: Int
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ kind: SocketDecodeError.Kind, at offset: Int, limits: SocketLimits = .init()) {
            self.init(name, Array(text.utf8), kind, at: offset, limits: limits)
        }

        init(_ name: String, _ text: [UInt8], _ kind: SocketDecodeError.Kind, at offset: Int, limits: SocketLimits = .init()) {
            self.name = name
            self.text = text
            self.kind = kind
            self.offset = offset
            self.limits = limits
        }
    }

    static let deep = "2[\"deep\"," + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "]"

    static let cases: [Case] = [
        Case("empty packet", "", .emptyPacket, at: 0),
        Case("type digit 7", "7[\"a\"]", .unknownPacketType(UInt8(ascii: "7")), at: 0),
        Case("letter as type", "a", .unknownPacketType(UInt8(ascii: "a")), at: 0),
        Case("event without payload", "2", .missingPayload(.event), at: 1),
        Case("event payload is an object", "2{\"a\":1}", .eventPayloadNotArray(found: "object"), at: 1),
        Case("event payload is a string", "2\"a\"", .eventPayloadNotArray(found: "string"), at: 1),
        Case("event payload is empty", "2[]", .emptyEventPayload, at: 1),
        Case("event name is a number", "2[1]", .eventNameNotString(found: "number"), at: 1),
        Case("event name is null", "2/admin,[null]", .eventNameNotString(found: "null"), at: 8),
        Case("reserved name connect", "2[\"connect\"]", .reservedEventName("connect"), at: 1),
        Case("reserved name disconnecting", "2[\"disconnecting\",1]", .reservedEventName("disconnecting"), at: 1),
        Case("ack without id", "3[]", .missingAckID(.ack), at: 1),
        Case("binary ack without id", "61-[{\"_placeholder\":true,\"num\":0}]", .missingAckID(.binaryAck), at: 3),
        Case("ack payload is an object", "312{}", .ackPayloadNotArray(found: "object"), at: 3),
        Case("ack without payload", "312", .missingPayload(.ack), at: 3),
        Case("connect payload is a string", "0\"x\"", .connectPayloadNotObject(found: "string"), at: 1),
        Case("connect payload is an array", "0/admin,[]", .connectPayloadNotObject(found: "array"), at: 8),
        Case("connect_error without payload", "4", .missingPayload(.connectError), at: 1),
        Case("connect_error payload is a string (v4 style)", "4\"Not authorized\"", .connectErrorPayloadNotObject(found: "string"), at: 1),
        Case("disconnect with payload", "1/admin,{}", .unexpectedPayload(.disconnect), at: 8),
        Case("ack id on connect", "012{}", .ackIDNotAllowed(.connect), at: 1),
        Case("ack id above 2^53-1", "29007199254740992[\"a\"]", .ackIDOutOfRange, at: 1),
        Case("ack id with 30 digits", "2/x,123456789012345678901234567890[\"a\"]", .ackIDOutOfRange, at: 4),
        Case("JSON cut short", "2[\"a\"", .invalidJSON(.unexpectedEnd), at: 5),
        Case("text after the JSON", "2[\"a\"]x", .invalidJSON(.trailingCharacters), at: 6),
        Case("namespace without slash", "2admin,[\"a\"]", .namespaceWithoutLeadingSlash, at: 1),
        Case("control character in namespace", "0/ad\u{05}min,", .controlCharacterInNamespace(0x05), at: 4),
        Case("record separator in namespace", "2/a\u{1E}b,[\"x\"]", .controlCharacterInNamespace(0x1E), at: 3),
        Case("binary event without count", "5[\"a\"]", .malformedAttachmentCount, at: 1),
        Case("binary count without dash", "51[\"a\"]", .malformedAttachmentCount, at: 2),
        Case("more attachments than the limit", "511-[\"a\"]", .tooManyAttachments(declared: 11, limit: 10), at: 1),
        Case("huge declared count", "599999999999999999999999-[\"a\"]", .tooManyAttachments(declared: 99, limit: 10), at: 1),
        Case("count over a lower limit", "53-[\"a\"]", .tooManyAttachments(declared: 3, limit: 2), at: 1,
             limits: SocketLimits(maxAttachments: 2)),
        Case("placeholder num is a string", "51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]", .placeholderNumNotInteger, at: 8),
        Case("placeholder num is fractional", "51-[\"a\",{\"_placeholder\":true,\"num\":0.5}]", .placeholderNumNotInteger, at: 8),
        Case("placeholder without num", "51-[\"a\",{\"_placeholder\":true}]", .placeholderNumNotInteger, at: 8),
        Case("placeholder beyond the count", "51-[\"a\",{\"_placeholder\":true,\"num\":1}]", .placeholderNumOutOfRange(num: 1, attachments: 1), at: 8),
        Case("negative placeholder", "51-[\"a\",{\"_placeholder\":true,\"num\":-1}]", .placeholderNumOutOfRange(num: -1, attachments: 1), at: 8),
        Case("second placeholder out of range, nested", "52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"x\":[{\"_placeholder\":true,\"num\":5}]}]",
             .placeholderNumOutOfRange(num: 5, attachments: 2), at: 44),
        Case("fewer placeholders than declared", "52-[\"a\",{\"_placeholder\":true,\"num\":0}]", .unreferencedAttachments(declared: 2, referenced: 1), at: 3),
        Case("declared attachment, no placeholder", "51-[\"a\"]", .unreferencedAttachments(declared: 1, referenced: 0), at: 3),
        // Found by the socket fuzzer: one attachment under many placeholders re-encodes (an echo) as many.
        Case("one attachment, two placeholders", "51-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]",
             .attachmentReferencedTwice(num: 0), at: 38),
        Case("a repeated placeholder, nested", "52-[\"a\",{\"_placeholder\":true,\"num\":1},{\"x\":[{\"_placeholder\":true,\"num\":1}]}]",
             .attachmentReferencedTwice(num: 1), at: 44),
        Case("invalid UTF-8 in namespace", [0x32, 0x2F, 0x61, 0xFF, 0x2C, 0x5B, 0x22, 0x61, 0x22, 0x5D], .invalidUTF8, at: 3),
        Case("invalid UTF-8 in a string", [0x32, 0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D], .invalidJSON(.invalidUTF8), at: 3),
        Case("nesting deeper than the limit", deep, .invalidJSON(.tooDeep(limit: 64)), at: 72),
        Case("packet over the size limit", "2[\"0123456789\"]", .tooLarge(size: 15, limit: 8), at: 8, limits: SocketLimits(maxPacketBytes: 8)),
        Case("raw newline in a string", "2[\"a\nb\"]", .invalidJSON(.controlCharacterInString(0x0A)), at: 4),
        Case("unknown escape", "2[\"\\x\"]", .invalidJSON(.invalidEscape), at: 3),
        Case("bad unicode escape", "2[\"\\u12G4\"]", .invalidJSON(.invalidUnicodeEscape), at: 7),
        Case("leading zero", "2[\"a\",01]", .invalidJSON(.unexpectedByte(UInt8(ascii: "1"))), at: 7),
        Case("lonely minus", "2[\"a\",-]", .invalidJSON(.invalidNumber), at: 7),
        Case("misspelled literal", "2[\"a\",tru]", .invalidJSON(.unexpectedByte(UInt8(ascii: "]"))), at: 9),
        Case("missing comma", "2[\"a\" \"b\"]", .invalidJSON(.unexpectedByte(UInt8(ascii: "\""))), at: 6),
        Case("object key not a string", "0{a:1}", .invalidJSON(.unexpectedByte(UInt8(ascii: "a"))), at: 2),
        Case("exponent without digits", "2[\"a\",1e]", .invalidJSON(.invalidNumber), at: 8),
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) {
        var decoder = SocketPacketDecoder(limits: c.limits)
        #expect(throws: SocketDecodeError(c.kind, at: c.offset)) { try decoder.decode(textBytes: c.text) }
        #expect(decoder.awaitingAttachments == 0)
    }

    @Test("a text message while attachments are due is refused, and the decoder is empty again")
    func textWhileAwaiting() throws {
        var decoder = SocketPacketDecoder()
        #expect(try decoder.decode(text: "52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]") == .needsAttachments(remaining: 2))
        #expect(try decoder.decode(binary: [1]) == .needsAttachments(remaining: 1))
        #expect(throws: SocketDecodeError(.textWhileAwaitingAttachments(remaining: 1), at: 0)) { try decoder.decode(text: "2[\"b\"]") }
        #expect(decoder.awaitingAttachments == 0)
        #expect(try decoder.decode(text: "2[\"b\"]") == .packet(.event("b")))
    }

    @Test("a binary message with no packet waiting is refused")
    func unexpectedBinary() throws {
        var decoder = SocketPacketDecoder()
        #expect(throws: SocketDecodeError(.unexpectedBinaryAttachment, at: 0)) { try decoder.decode(binary: [1, 2]) }
        // One more attachment than declared: the extra one has nothing to join.
        _ = try decoder.decode(text: "51-[\"a\",{\"_placeholder\":true,\"num\":0}]")
        #expect(try decoder.decode(binary: [1]) == .packet(SocketPacket(type: .binaryEvent, payload: ["a", .binary([1])])))
        #expect(throws: SocketDecodeError(.unexpectedBinaryAttachment, at: 0)) { try decoder.decode(binary: [2]) }
    }

    @Test("the attachment limit stays within 0...64 however it is set")
    func attachmentLimitClamped() {
        var limits = SocketLimits(maxAttachments: 1_000)
        #expect(limits.maxAttachments == 64)
        limits.maxAttachments = -3
        #expect(limits.maxAttachments == 0)
        limits.maxAttachments = 12
        #expect(limits.maxAttachments == 12)
    }

    @Test("reserved names can be let through when the limits say so")
    func reservedAllowed() throws {
        var decoder = SocketPacketDecoder(limits: SocketLimits(rejectReservedEventNames: false))
        #expect(try decoder.decode(text: "2[\"connect\"]") == .packet(.event("connect")))
    }

    @Test("the encoder refuses packets the decoder would refuse")
    func encoderRefuses() {
        #expect(throws: SocketEncodeError.invalidNamespace("admin")) { try SocketPacketEncoder.encode(.event("a", namespace: "admin")) }
        #expect(throws: SocketEncodeError.invalidNamespace("/a,b")) { try SocketPacketEncoder.encode(.event("a", namespace: "/a,b")) }
        #expect(throws: SocketEncodeError.invalidNamespace("")) { try SocketPacketEncoder.encode(.connect(namespace: "")) }
        #expect(throws: SocketEncodeError.invalidNamespace("/a\u{1E}b")) { try SocketPacketEncoder.encode(.connect(namespace: "/a\u{1E}b")) }
        #expect(throws: SocketEncodeError.ackIDOutOfRange(1 << 53)) { try SocketPacketEncoder.encode(.event("a", id: 1 << 53)) }
        #expect(throws: SocketEncodeError.invalidPacket(.emptyEventPayload)) {
            try SocketPacketEncoder.encode(SocketPacket(type: .event, payload: []))
        }
        #expect(throws: SocketEncodeError.invalidPacket(.missingAckID(.ack))) {
            try SocketPacketEncoder.encode(SocketPacket(type: .ack, payload: []))
        }
        #expect(throws: SocketEncodeError.invalidPacket(.ackIDNotAllowed(.disconnect))) {
            try SocketPacketEncoder.encode(SocketPacket(type: .disconnect, id: 1))
        }
        #expect(throws: SocketEncodeError.invalidPacket(.unexpectedPayload(.connect))) {
            try SocketPacketEncoder.encode(SocketPacket(type: .connect, payload: ["a": .binary([1])]))
        }
    }

    @Test("error messages say what is wrong and where")
    func messages() {
        #expect(SocketDecodeError(.placeholderNumOutOfRange(num: 1, attachments: 1), at: 8).description
            == "placeholder refers to attachment 1, but the packet declares 1 (numbered from 0) at byte 8")
        #expect(SocketDecodeError(.invalidJSON(.unexpectedEnd), at: 5).description == "invalid payload: JSON ends too early at byte 5")
    }
}
