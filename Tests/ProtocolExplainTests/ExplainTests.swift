import Testing
import WireJSON
@testable import ProtocolExplain

@Suite("explain")
struct ExplainTests {
    /// Finds the first node with `label` anywhere below `nodes`.
    func find(_ label: String, in nodes: [ExplainNode]) -> ExplainNode? {
        for node in nodes {
            if node.label == label { return node }
            if let hit = find(label, in: node.children) { return hit }
        }
        return nil
    }

    static let specFrames = [
        "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":5000,\"maxPayload\":1000000}",
        "2", "3", "2probe", "3probe", "5", "6", "1",
        "40", "40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", "40/admin,", "40/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}",
        "40/admin,{\"token\":\"123\"}", "44{\"message\":\"Not authorized\"}",
        "44/admin,{\"message\":\"forbidden\",\"data\":{\"reason\":\"no token\"}}",
        "42[\"foo\"]", "42/admin,[\"bar\"]", "4212[\"foo\"]", "43/admin,13[\"bar\"]", "4312[]", "42[\"hey\",\"Jude\"]",
        "41", "41/admin,", "42/admin,12[\"delete user\",7]", "43/admin,12[\"ok\"]",
        "42[\"hello\"]\\x1e42[\"world\"]", "42[\"hello\"]\u{1e}42[\"world\"]",
    ]

    @Test("every spec example is explained without error", arguments: specFrames)
    func specExample(_ frame: String) {
        let explanation = PacketExplainer().explain([frame])
        #expect(!explanation.hasError, "\(ExplanationText.render(explanation))")
        #expect(explanation.inputs[0].nodes.count >= 1)
    }

    @Test("binary examples reassemble from the text and the attachments that follow")
    func binarySequences() throws {
        let explanation = PacketExplainer().explain([
            "452-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", "bAQI=", "bAwQ=",
        ])
        #expect(!explanation.hasError)
        #expect(explanation.notes.isEmpty)
        let whole = try #require(find("reassembled packet", in: explanation.inputs[2].nodes))
        #expect(whole.value == "BINARY_EVENT on /admin")
        let args = try #require(find("payload", in: whole.children))
        #expect(args.children.map(\.value) == ["\"baz\"", "<2 bytes: 01 02>", "<2 bytes: 03 04>"])
    }

    @Test("each field of the issue's example is found at its byte")
    func fieldsAndOffsets() throws {
        let explanation = PacketExplainer().explain(["451-/admin,12[\"upload\",{\"_placeholder\":true,\"num\":0}]"])
        let nodes = explanation.inputs[0].nodes
        #expect(explanation.inputs[0].form == .webSocketFrame)
        let socket = try #require(find("Socket.IO packet", in: nodes))
        #expect(socket.value == "BINARY_EVENT on /admin")
        #expect(socket.offset == 1)
        let attachments = try #require(find("attachments", in: nodes))
        #expect(attachments.raw == "1-" && attachments.offset == 2 && attachments.value == "1")
        let namespace = try #require(find("namespace", in: nodes))
        #expect(namespace.raw == "/admin," && namespace.offset == 4)
        let ack = try #require(find("ack id", in: nodes))
        #expect(ack.raw == "12" && ack.offset == 11)
        let placeholder = try #require(find("[1]", in: nodes))
        #expect(placeholder.meaning == "placeholder for binary attachment #0")
        #expect(explanation.notes == ["the last binary packet still waits for 1 attachment: paste each as b<base64> after it"])
    }

    @Test("polling bodies accept the separator as the byte, as \\x1e and as ␞")
    func separators() {
        for body in ["4hello\u{1e}2\u{1e}4world", "4hello\\x1e2\\x1E4world", "4hello␞2␞4world"] {
            let explanation = PacketExplainer(layer: .engineIOOnly).explain([body])
            #expect(explanation.inputs[0].form == .pollingBody)
            #expect(explanation.inputs[0].nodes.map(\.value) == ["message", "ping", "message"])
            #expect(!explanation.hasError)
        }
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var input: String
        var layer: PacketExplainer.Layer = .engineIO
        var messageStart: String
        var offset: Int
        var testDescription: String { input }
    }

    static let badCases: [BadCase] = [
        BadCase(input: "", messageStart: "empty Engine.IO packet", offset: 0),
        BadCase(input: "9", messageStart: "unknown Engine.IO packet type '9'", offset: 0),
        BadCase(input: "4a\\x1e9", messageStart: "unknown Socket.IO packet type 'a'", offset: 1),
        BadCase(input: "42[\"a\"]\\x1e9", messageStart: "unknown Engine.IO packet type '9'", offset: 11),
        BadCase(input: "42[\"a\"]␞bA!==", messageStart: "invalid base64", offset: 12),
        BadCase(input: "451-[\"a\",{\"_placeholder\":true,\"num\":1}]", messageStart: "placeholder refers to attachment 1", offset: 9),
        BadCase(input: "42[\"connect\"]", messageStart: "\"connect\" is a reserved event name", offset: 2),
        BadCase(input: "42[\"a\",]", messageStart: "invalid payload: unexpected ']'", offset: 7),
        BadCase(input: "4", messageStart: "empty Socket.IO packet", offset: 1),
        BadCase(input: "2admin,[\"x\"]", layer: .socketIO, messageStart: "namespace must start with '/'", offset: 1),
    ]

    @Test("bad input is refused with a pointed message", arguments: badCases)
    func refused(_ c: BadCase) throws {
        let explanation = PacketExplainer(layer: c.layer).explain([c.input])
        let error = try #require(explanation.inputs[0].error)
        #expect(error.message.hasPrefix(c.messageStart), "\(error.message)")
        #expect(error.offset == c.offset)
    }

    @Test("the caret sits under the offending character of what the user typed")
    func caret() {
        let lines = ExplanationText.renderError(
            ExplainError(layer: "Engine.IO", message: "unknown", offset: 11), input: "42[\"a\"]\\x1e9", number: 1)
        #expect(lines == [
            "error: Engine.IO: unknown (input 1, byte 11)",
            "  42[\"a\"]\\x1e9",
            "             ^",
        ])
    }

    @Test("JSON output has the same structure as the text")
    func json() throws {
        let explanation = PacketExplainer().explain(["2probe", "9"])
        let parsed = try JSONParser.parse(explanation.json.jsonText)
        let inputs = try #require(parsed["inputs"]?.arrayValue)
        #expect(inputs.count == 2)
        #expect(inputs[0]["form"] == "websocket-frame")
        #expect(inputs[0]["packets"]?.arrayValue?.first?["value"] == "ping")
        #expect(inputs[1]["error"]?["offset"] == .int(0))
        #expect(inputs[1]["error"]?["layer"] == "Engine.IO")
    }

    @Test("a binary message with nothing waiting is explained, not refused")
    func loneBinary() throws {
        let explanation = PacketExplainer().explain(["bAQIDBA=="])
        #expect(!explanation.hasError)
        #expect(explanation.inputs[0].form == .binaryMessage)
        #expect(find("binary data", in: explanation.inputs[0].nodes)?.value == "<4 bytes: 01 02 03 04>")
    }
}
