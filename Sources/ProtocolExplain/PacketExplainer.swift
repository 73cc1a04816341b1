import EngineIOProtocol
import SocketIOProtocol

/// Dissects what a person pastes from a network log, layer by layer, for `sioscope explain` and the
/// console's teaching view. Inputs are read in order as one conversation, so binary attachments
/// that follow a BINARY_EVENT are joined to it.
public struct PacketExplainer: Sendable {
    public enum Layer: String, Sendable, CaseIterable {
        /// Inputs are Engine.IO: WebSocket frames, polling bodies, `b<base64>` messages.
        case engineIO = "engineio"
        /// Inputs are Socket.IO packet texts without the Engine.IO `4`.
        case socketIO = "socketio"
        /// Inputs are Engine.IO carrying plain application data (an engine.io app, not Socket.IO).
        case engineIOOnly = "engineio-only"
    }

    public var layer: Layer
    public var engineLimits: EngineLimits
    public var socketLimits: SocketLimits

    public init(layer: Layer = .engineIO, engineLimits: EngineLimits = .init(), socketLimits: SocketLimits = .init()) {
        self.layer = layer
        self.engineLimits = engineLimits
        self.socketLimits = socketLimits
    }

    public func explain(_ inputs: [String]) -> Explanation {
        var socket = SocketExplainer(decoder: SocketPacketDecoder(limits: socketLimits))
        var explained: [ExplainedInput] = []
        for text in inputs {
            explained.append(explainOne(text, socket: &socket))
        }
        var notes: [String] = []
        let due = socket.decoder.awaitingAttachments
        if due > 0 {
            notes.append("the last binary packet still waits for \(ValueText.plural(due, "attachment")): paste each as b<base64> after it")
        }
        return Explanation(inputs: explained, notes: notes)
    }

    private func explainOne(_ text: String, socket: inout SocketExplainer) -> ExplainedInput {
        let input = PastedInput(text)
        if layer == .socketIO {
            let (node, error) = socket.explainText(input.bytes, base: 0, input: input)
            return ExplainedInput(input: text, form: .socketIOPacket, nodes: [node], error: error)
        }
        let ranges = input.bytes.withUnsafeBufferPointer { PollingPayload.elementRanges($0) }
        let form: InputForm = ranges.count > 1 ? .pollingBody : (input.bytes.first == UInt8(ascii: "b") ? .binaryMessage : .webSocketFrame)
        var result = ExplainedInput(input: text, form: form, nodes: [], error: nil)
        if input.bytes.count > engineLimits.maxPayloadBytes {
            result.error = ExplainError(
                layer: "Engine.IO",
                message: EngineDecodeError(.tooLarge(size: input.bytes.count, limit: engineLimits.maxPayloadBytes), at: 0).message,
                offset: input.originalOffset(engineLimits.maxPayloadBytes))
            return result
        }
        let engine = EngineExplainer(input: input, readsSocketIO: layer == .engineIO)
        for range in ranges {
            let packet: EnginePacket
            do {
                packet = try EngineCodec.decode(textBytes: Array(input.bytes[range]), limits: engineLimits)
            } catch {
                // Like the reference parser, decoding a body stops at the first bad packet.
                result.error = ExplainError(layer: "Engine.IO", message: error.message,
                                            offset: input.originalOffset(range.lowerBound + error.offset))
                return result
            }
            let (node, error) = engine.explain(packet, range: range, socket: &socket)
            result.nodes.append(node)
            if let error {
                result.error = error
                return result
            }
        }
        return result
    }
}
