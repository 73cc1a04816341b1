import Testing
import WireJSON
@testable import EngineIOProtocol

/// Every example of the Engine.IO v4 specification (docs/engine.io-protocol/v4-current.md in the
/// socket.io repository, and the engine.io-parser 4.0.0 changelog), both ways.
@Suite("Engine.IO v4 spec examples")
struct EngineSpecExamplesTests {
    struct FrameVector: Sendable, CustomTestStringConvertible {
        var wire: String
        var packet: EnginePacket
        var testDescription: String { wire }
    }

    static let textFrames: [FrameVector] = [
        FrameVector(wire: "4hello", packet: .message("hello")),
        FrameVector(wire: "4hey", packet: .message("hey")),
        FrameVector(wire: "4HelloWorld", packet: .message("HelloWorld")),
        FrameVector(wire: "2probe", packet: .probePing),
        FrameVector(wire: "3probe", packet: .probePong),
        FrameVector(wire: "2", packet: .ping),
        FrameVector(wire: "3", packet: .pong),
        FrameVector(wire: "5", packet: .upgrade),
        FrameVector(wire: "6", packet: .noop),
        FrameVector(wire: "1", packet: .close),
        FrameVector(wire: "4€€€", packet: .message("€€€")),
        FrameVector(wire: "42[\"hey\",\"Jude\"]", packet: .message("2[\"hey\",\"Jude\"]")),
        FrameVector(wire: "40", packet: .message("0")),
    ]

    @Test("text frames decode and encode", arguments: textFrames)
    func textFrame(_ vector: FrameVector) throws {
        #expect(try EngineCodec.decode(text: vector.wire) == vector.packet)
        #expect(EngineCodec.encodeFrame(vector.packet) == .text(vector.wire))
    }

    @Test("a binary frame is a message carrying the bytes as they are")
    func binaryFrame() throws {
        let bytes: [UInt8] = [1, 2, 3, 4]
        #expect(try EngineCodec.decode(binaryFrame: bytes) == .binary(bytes))
        #expect(EngineCodec.encodeFrame(.binary(bytes)) == .binary(bytes))
    }

    struct PayloadVector: Sendable, CustomTestStringConvertible {
        var wire: String
        var packets: [EnginePacket]
        var testDescription: String { wire.replacingSeparators() }
    }

    static let payloads: [PayloadVector] = [
        PayloadVector(wire: "4hello\u{1e}2\u{1e}4world", packets: [.message("hello"), .ping, .message("world")]),
        PayloadVector(wire: "4hello\u{1e}bAQIDBA==", packets: [.message("hello"), .binary([1, 2, 3, 4])]),
        PayloadVector(wire: "4hello\u{1e}4world", packets: [.message("hello"), .message("world")]),
        PayloadVector(wire: "4hello\u{1e}4€€€", packets: [.message("hello"), .message("€€€")]),
        PayloadVector(wire: "4hello\u{1e}bAQID", packets: [.message("hello"), .binary([1, 2, 3])]),
        PayloadVector(wire: "2probe\u{1e}4test\u{1e}1", packets: [.probePing, .message("test"), .close]),
        PayloadVector(wire: "42[\"hello\"]\u{1e}42[\"world\"]", packets: [.message("2[\"hello\"]"), .message("2[\"world\"]")]),
        PayloadVector(wire: "4hey", packets: [.message("hey")]),
        PayloadVector(wire: "6", packets: [.noop]),
    ]

    @Test("polling payloads decode and encode", arguments: payloads)
    func payload(_ vector: PayloadVector) throws {
        #expect(try PollingPayload.decode(vector.wire) == vector.packets)
        #expect(PollingPayload.encodeToString(vector.packets) == vector.wire)
    }

    @Test("the open packet of the sample session")
    func openPacket() throws {
        let wire = "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":5000,\"maxPayload\":1000000}"
        let packet = try EngineCodec.decode(text: wire)
        #expect(packet.type == .open)
        let handshake = try EngineHandshake(jsonText: try #require(packet.text))
        let expected = EngineHandshake(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"], pingInterval: 25000,
                                       pingTimeout: 5000, maxPayload: 1_000_000)
        #expect(handshake == expected)
        #expect(EngineCodec.encodeFrame(.open(expected)) == .text(wire))
    }

    @Test("the handshake example with default timings, and a WebSocket-only one")
    func handshakeDefaults() throws {
        let handshake = EngineHandshake(sid: "lv_VI97HAXpY6yYWAAAC")
        #expect(handshake.jsonText == "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}")
        let wsOnly = EngineHandshake(sid: "a", upgrades: [])
        #expect(try EngineHandshake(jsonText: wsOnly.jsonText) == wsOnly)
        // Servers before v4.1 send no maxPayload.
        let old = try EngineHandshake(jsonText: "{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":2,\"extra\":true}")
        #expect(old.maxPayload == nil)
        #expect(old.pingTimeout == 2)
    }

    @Test("error codes carry the reference server's messages", arguments: EngineErrorCode.allCases)
    func errorCode(_ code: EngineErrorCode) {
        let expected = ["Transport unknown", "Session ID unknown", "Bad handshake method", "Bad request", "Forbidden",
                        "Unsupported protocol version"][code.rawValue]
        #expect(code.message == expected)
        #expect(code.jsonBody == "{\"code\":\(code.rawValue),\"message\":\"\(expected)\"}")
        #expect(EngineErrorCode(jsonBody: code.jsonBody) == code)
        #expect(code.httpStatus == (code == .forbidden ? 403 : 400))
    }

    @Test("packet type digits and names", arguments: EnginePacketType.allCases)
    func packetTypes(_ type: EnginePacketType) {
        #expect(EnginePacketType(digit: type.digit) == type)
        #expect(["open", "close", "ping", "pong", "message", "upgrade", "noop"][Int(type.rawValue)] == type.description)
        #expect(!type.meaning.isEmpty)
    }
}

extension String {
    func replacingSeparators() -> String {
        String(unicodeScalars.map { $0 == "\u{1e}" ? "␞" : Character($0) })
    }
}
