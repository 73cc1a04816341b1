import EngineIOProtocol
import WireJSON

/// Explains the Engine.IO layer of one packet; hands message text to the Socket.IO explainer.
struct EngineExplainer {
    let input: PastedInput
    /// False for plain Engine.IO apps: message data is shown as it is.
    var readsSocketIO = true

    /// `range` is where the packet's bytes sit in the unescaped input.
    func explain(_ packet: EnginePacket, range: Range<Int>, socket: inout SocketExplainer) -> (ExplainNode, ExplainError?) {
        let start = range.lowerBound
        var node = ExplainNode("Engine.IO packet", raw: input.rawText(range), offset: input.originalOffset(start),
                               value: packet.isBinary ? "binary message" : packet.type.description)
        if case .binary(let bytes) = packet.data {
            return explainBinary(bytes, range: range, node: &node, socket: &socket)
        }
        node.children.append(ExplainNode(
            "type", raw: input.rawText(start..<start + 1), offset: input.originalOffset(start),
            value: "\(packet.type.rawValue) = \(packet.type)", meaning: packet.type.meaning))
        let dataRange = start + 1..<range.upperBound
        guard let text = packet.text, !dataRange.isEmpty else {
            if packet.type == .message {
                node.children.append(ExplainNode("data", value: "(empty)", meaning: "an empty message: not a valid Socket.IO packet"))
                return (node, ExplainError(layer: "Socket.IO", message: "empty Socket.IO packet (a packet starts with a type digit 0-6)",
                                           offset: input.originalOffset(dataRange.lowerBound)))
            }
            return (node, nil)
        }
        let raw = input.rawText(dataRange)
        let dataOffset = input.originalOffset(dataRange.lowerBound)
        switch packet.type {
        case .open:
            node.children.append(explainHandshake(text, raw: raw, offset: dataOffset))
        case .ping, .pong:
            let probe = text == "probe"
            node.children.append(ExplainNode(
                "data", raw: raw, offset: dataOffset, value: ValueText.quoted(text),
                meaning: probe
                    ? (packet.type == .ping
                        ? "the client tests a new WebSocket before upgrading; the server answers 3probe"
                        : "the server confirms the WebSocket works; the client then sends 5 (upgrade)")
                    : "extra data, echoed back by the other side"))
        case .message where !readsSocketIO:
            node.children.append(ExplainNode("data", raw: raw, offset: dataOffset, value: ValueText.quoted(text),
                                             meaning: "the application's message, as it is (no Socket.IO layer)"))
        case .message:
            var (socketNode, error) = socket.explainText(Array(text.utf8), base: dataRange.lowerBound, input: input)
            if var e = error, e.offset == dataOffset {
                e.message += " — if this is a plain Engine.IO app, not Socket.IO, use --layer engineio-only"
                error = e
            }
            node.children.append(socketNode)
            return (node, error)
        case .close, .upgrade, .noop:
            node.children.append(ExplainNode("data", raw: raw, offset: dataOffset, value: ValueText.quoted(text),
                                             meaning: "unexpected: \(packet.type) packets carry no data"))
        }
        return (node, nil)
    }

    private func explainBinary(_ bytes: [UInt8], range: Range<Int>, node: inout ExplainNode,
                               socket: inout SocketExplainer) -> (ExplainNode, ExplainError?) {
        let start = range.lowerBound
        if range.count > 0 && input.bytes[start] == UInt8(ascii: "b") {
            node.children.append(ExplainNode(
                "binary prefix", raw: "b", offset: input.originalOffset(start),
                meaning: "in a polling body, binary data travels as 'b' + base64; over WebSocket it is a binary frame with the raw bytes"))
            node.children.append(ExplainNode(
                "base64", raw: input.rawText(start + 1..<range.upperBound), offset: input.originalOffset(start + 1),
                value: ValueText.binary(bytes), meaning: "the bytes, base64-encoded"))
        }
        if !readsSocketIO {
            node.children.append(ExplainNode("data", value: ValueText.binary(bytes), meaning: "the application's binary message"))
            return (node, nil)
        }
        let (attachment, error) = socket.explainBinary(bytes)
        node.children.append(attachment)
        return (node, error)
    }

    private func explainHandshake(_ text: String, raw: String, offset: Int) -> ExplainNode {
        var node = ExplainNode("handshake", raw: raw, offset: offset, value: "JSON",
                               meaning: "the session parameters the client must follow")
        do {
            let handshake = try EngineHandshake(jsonText: text)
            node.children = [
                ExplainNode("sid", value: ValueText.quoted(handshake.sid),
                            meaning: "the session id: the client adds ?sid=... to every later request"),
                ExplainNode("upgrades", value: handshake.upgrades.jsonList,
                            meaning: handshake.upgrades.isEmpty
                                ? "no better transport to move to (already on WebSocket)"
                                : "transports the client may upgrade to, with the 2probe/3probe/5 exchange"),
                ExplainNode("pingInterval", value: "\(handshake.pingInterval) ms",
                            meaning: "the server sends a ping (2) this often"),
                ExplainNode("pingTimeout", value: "\(handshake.pingTimeout) ms",
                            meaning: "the client must answer pong (3) within this; silence beyond pingInterval + pingTimeout (\(handshake.pingInterval + handshake.pingTimeout) ms) means a dead link"),
            ]
            if let max = handshake.maxPayload {
                node.children.append(ExplainNode("maxPayload", value: "\(max) bytes",
                                                 meaning: "the most bytes a client may batch into one polling request"))
            }
        } catch {
            node.meaning = "not a usable handshake: \(error)"
        }
        return node
    }
}

extension Array where Element == String {
    var jsonList: String { JSONValue.array(map { .string($0) }).jsonText }
}
