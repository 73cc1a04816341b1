import Testing
import WireJSON
@testable import EngineIOProtocol

/// Each bad input gets its own, specific error at the right byte.
@Suite("Engine.IO bad input")
struct EngineBadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        var limit: Int = 1_000_000
        var kind: EngineDecodeError.Kind
        var offset: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty body", body: [], kind: .emptyPacket, offset: 0),
        Case(name: "type digit 7", body: Array("7".utf8), kind: .unknownPacketType(UInt8(ascii: "7")), offset: 0),
        Case(name: "letter as type", body: Array("x".utf8), kind: .unknownPacketType(UInt8(ascii: "x")), offset: 0),
        Case(name: "second packet unknown", body: Array("4a\u{1e}9".utf8), kind: .unknownPacketType(UInt8(ascii: "9")), offset: 3),
        Case(name: "empty element between separators", body: Array("4a\u{1e}\u{1e}4b".utf8), kind: .emptyPacket, offset: 3),
        Case(name: "trailing separator", body: Array("4a\u{1e}".utf8), kind: .emptyPacket, offset: 3),
        Case(name: "base64 with a foreign byte", body: Array("4a\u{1e}bAQ!D".utf8), kind: .invalidBase64(.invalidByte(UInt8(ascii: "!"))), offset: 6),
        Case(name: "base64 one character short", body: Array("bAQIDB".utf8), kind: .invalidBase64(.truncated), offset: 6),
        Case(name: "base64 non-canonical last character", body: Array("bAR==".utf8), kind: .invalidBase64(.nonZeroPaddingBits), offset: 2),
        Case(name: "invalid UTF-8 byte", body: [0x34, 0x61, 0xFF], kind: .invalidUTF8, offset: 2),
        Case(name: "overlong UTF-8", body: [0x34, 0xC0, 0x80], kind: .invalidUTF8, offset: 1),
        Case(name: "UTF-8 surrogate", body: [0x34, 0xED, 0xA0, 0x80], kind: .invalidUTF8, offset: 1),
        Case(name: "truncated UTF-8 sequence", body: [0x34, 0xE2, 0x82], kind: .invalidUTF8, offset: 1),
        Case(name: "UTF-8 above U+10FFFF", body: [0x34, 0x1e, 0x34, 0xF4, 0x90, 0x80, 0x80], kind: .invalidUTF8, offset: 3),
        Case(name: "body over the limit", body: Array("4hello world".utf8), limit: 10, kind: .tooLarge(size: 12, limit: 10), offset: 10),
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) {
        #expect(throws: EngineDecodeError(c.kind, at: c.offset)) {
            try PollingPayload.decode(c.body, limits: EngineLimits(maxPayloadBytes: c.limit))
        }
    }

    @Test("a text frame is checked as one packet, with the same errors")
    func textFrame() {
        #expect(throws: EngineDecodeError(.invalidUTF8, at: 2)) { try EngineCodec.decode(textBytes: [0x34, 0x61, 0xFF]) }
        #expect(throws: EngineDecodeError(.emptyPacket, at: 0)) { try EngineCodec.decode(text: "") }
        #expect(throws: EngineDecodeError(.tooLarge(size: 5, limit: 4), at: 4)) {
            try EngineCodec.decode(text: "4abcd", limits: EngineLimits(maxPayloadBytes: 4))
        }
        #expect(throws: EngineDecodeError(.tooLarge(size: 5, limit: 4), at: 4)) {
            try EngineCodec.decode(binaryFrame: [1, 2, 3, 4, 5], limits: EngineLimits(maxPayloadBytes: 4))
        }
    }

    @Test("handshakes that cannot be used say which field is wrong")
    func badHandshakes() {
        #expect(throws: EngineHandshakeError.notAnObject) { try EngineHandshake(jsonText: "[]") }
        #expect(throws: EngineHandshakeError.badField("sid", expected: "a non-empty string")) {
            try EngineHandshake(jsonText: "{\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1}")
        }
        #expect(throws: EngineHandshakeError.badField("pingInterval", expected: "a non-negative integer")) {
            try EngineHandshake(jsonText: "{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":\"25000\",\"pingTimeout\":1}")
        }
        #expect(throws: EngineHandshakeError.badField("upgrades", expected: "an array of strings")) {
            try EngineHandshake(jsonText: "{\"sid\":\"a\",\"upgrades\":[1],\"pingInterval\":1,\"pingTimeout\":1}")
        }
        #expect(throws: EngineHandshakeError.invalidJSON(JSONError(.unexpectedEnd, at: 7))) {
            try EngineHandshake(jsonText: "{\"sid\":")
        }
    }

    @Test("errors name the problem and the byte")
    func descriptions() {
        #expect(EngineDecodeError(.unknownPacketType(UInt8(ascii: "9")), at: 3).description
            == "unknown Engine.IO packet type '9' (expected a digit 0-6, or 'b' for base64 binary) at byte 3")
        #expect(EngineDecodeError(.invalidUTF8, at: 1).description == "invalid UTF-8 in an Engine.IO text packet at byte 1")
    }
}
