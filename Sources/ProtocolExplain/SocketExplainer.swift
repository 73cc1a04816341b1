import SocketIOProtocol

/// Explains Socket.IO packets. It keeps one decoder across all inputs, so a BINARY_EVENT pasted
/// before its `b<base64>` attachments is put back together as the peer would.
struct SocketExplainer {
    var decoder = SocketPacketDecoder()
    /// Attachments received for the pending binary packet.
    var attachmentsSeen = 0

    /// `bytes` is the packet text; `base` is where it starts in the unescaped input.
    mutating func explainText(_ bytes: [UInt8], base: Int, input: PastedInput) -> (ExplainNode, ExplainError?) {
        let offset = { (i: Int) in input.originalOffset(base + i) }
        let raw = { (r: Range<Int>) in input.rawText(base + r.lowerBound..<base + r.upperBound) }
        var node = ExplainNode("Socket.IO packet", raw: raw(0..<bytes.count), offset: offset(0))
        let failure = { (e: SocketDecodeError) in ExplainError(layer: "Socket.IO", message: e.message, offset: offset(e.offset)) }

        let layout: SocketPacketLayout
        let result: SocketDecoderResult
        do {
            layout = try bytes.withBytes { (b) throws(SocketDecodeError) -> SocketPacketLayout in
                try SocketPacketLayout.scan(b, limits: decoder.limits)
            }
        } catch {
            decoder.reset()
            return (node, failure(error))
        }
        node.value = "\(layout.type) on \(layout.namespace)"
        node.children.append(ExplainNode("type", raw: raw(0..<1), offset: offset(0),
                                         value: "\(layout.type.rawValue) = \(layout.type)", meaning: layout.type.meaning))
        if let r = layout.attachmentsRange, let count = layout.attachmentCount {
            node.children.append(ExplainNode(
                "attachments", raw: raw(r), offset: offset(r.lowerBound), value: "\(count)",
                meaning: "\(ValueText.plural(count, "binary attachment")) \(count == 1 ? "follows" : "follow") this text, each as its own binary message; the payload holds a placeholder for each"))
        }
        if let r = layout.namespaceRange {
            node.children.append(ExplainNode(
                "namespace", raw: raw(r), offset: offset(r.lowerBound), value: ValueText.quoted(layout.namespace),
                meaning: "the namespace this packet belongs to; it ends at the comma (the main namespace \"/\" is left out)"))
        } else {
            node.children.append(ExplainNode("namespace", value: "\"/\"", meaning: "none written: the main namespace \"/\""))
        }
        if let r = layout.idRange, let id = layout.id {
            node.children.append(ExplainNode(
                "ack id", raw: raw(r), offset: offset(r.lowerBound), value: "\(id)",
                meaning: layout.type.isAck
                    ? "answers the event that was sent with id \(id)"
                    : "the sender asks for an acknowledgement: the receiver replies with an ACK carrying id \(id)"))
        }
        do {
            result = try decoder.decode(textBytes: bytes)
        } catch {
            if let r = layout.payloadRange {
                node.children.append(ExplainNode("payload", raw: raw(r), offset: offset(r.lowerBound),
                                                 value: "refused (see the error below)"))
            }
            return (node, failure(error))
        }
        if let r = layout.payloadRange {
            let payload: SocketPacket
            switch result {
            case .packet(let p): payload = p
            case .needsAttachments: payload = decoder.pendingPacket!
            }
            node.children.append(explainPayload(payload, raw: raw(r), offset: offset(r.lowerBound)))
        }
        if case .needsAttachments(let remaining) = result {
            attachmentsSeen = 0
            node.children.append(ExplainNode(
                "waiting", value: ValueText.plural(remaining, "attachment"),
                meaning: "the packet is complete only after the next \(ValueText.plural(remaining, "binary message"))"))
        }
        return (node, nil)
    }

    func explainPayload(_ packet: SocketPacket, raw: String, offset: Int) -> ExplainNode {
        var node = ExplainNode("payload", raw: raw, offset: offset, value: "JSON")
        switch packet.type {
        case .event, .binaryEvent:
            let args = packet.arguments
            node.meaning = "event \(ValueText.quoted(packet.eventName ?? "")) with \(ValueText.plural(args.count, "argument"))"
            node.children.append(ExplainNode("[0]", value: ValueText.quoted(packet.eventName ?? ""), meaning: "the event name"))
            for (i, arg) in args.enumerated() { node.children.append(argument(arg, index: i + 1)) }
        case .ack, .binaryAck:
            node.meaning = "the reply: \(ValueText.plural(packet.arguments.count, "argument")) for the sender's callback"
            for (i, arg) in packet.arguments.enumerated() { node.children.append(argument(arg, index: i)) }
        case .connect:
            let object = packet.payload?.objectValue ?? JSONObject()
            if object.count == 1 || object.count == 2, case .string(let sid)? = object["sid"],
               object.keys.allSatisfy({ $0 == "sid" || $0 == "pid" }) {
                node.meaning = "from the server: the connection is accepted; the socket id is \(ValueText.quoted(sid))"
                    + (object["pid"] != nil ? " (pid: a private id for connection-state recovery)" : "")
            } else {
                node.meaning = "from the client: the auth data the server's middleware reads (socket.handshake.auth)"
            }
            for (key, value) in object.pairs { node.children.append(ExplainNode(ValueText.quoted(key), value: ValueText.short(value))) }
        case .connectError:
            let object = packet.payload?.objectValue ?? JSONObject()
            node.meaning = "the refusal: the client's connect_error handler gets an Error with this message and data"
            if let message = object["message"] {
                node.children.append(ExplainNode("message", value: ValueText.short(message), meaning: "err.message"))
            }
            if let data = object["data"] {
                node.children.append(ExplainNode("data", value: ValueText.short(data), meaning: "err.data: details the middleware attached"))
            }
        case .disconnect:
            break
        }
        return node
    }

    func argument(_ value: JSONValue, index: Int) -> ExplainNode {
        if let num = ValueText.placeholderNumber(value) {
            return ExplainNode("[\(index)]", value: value.jsonText, meaning: "placeholder for binary attachment #\(num)")
        }
        let meaning: String? = value.containsBinary ? "holds binary data" : nil
        return ExplainNode("[\(index)]", value: ValueText.short(value), meaning: meaning)
    }

    /// A binary message: the next attachment of a pending packet, or raw binary data.
    mutating func explainBinary(_ bytes: [UInt8]) -> (ExplainNode, ExplainError?) {
        guard decoder.awaitingAttachments > 0, let pending = decoder.pendingPacket else {
            return (ExplainNode(
                "binary data", value: ValueText.binary(bytes),
                meaning: "no BINARY_EVENT or BINARY_ACK is waiting for it: on a Socket.IO connection a binary message is always an attachment of the packet before it (a peer would refuse this one); paste the packet first"),
                nil)
        }
        let number = attachmentsSeen
        attachmentsSeen += 1
        var node = ExplainNode("attachment", value: "#\(number) " + ValueText.binary(bytes),
                               meaning: "binary attachment #\(number) of the \(pending.type) on \(pending.namespace): it replaces {\"_placeholder\":true,\"num\":\(number)}")
        do {
            if case .packet(let packet) = try decoder.decode(binary: bytes) {
                var whole = ExplainNode("reassembled packet", value: "\(packet.type) on \(packet.namespace)",
                                        meaning: "all attachments arrived: this is what the application receives")
                if let id = packet.id { whole.children.append(ExplainNode("ack id", value: "\(id)")) }
                whole.children.append(explainPayload(packet, raw: "", offset: 0).withoutPosition)
                node.children.append(whole)
            }
        } catch {
            return (node, ExplainError(layer: "Socket.IO", message: error.message, offset: 0))
        }
        return (node, nil)
    }
}

extension ExplainNode {
    var withoutPosition: ExplainNode {
        var copy = self
        copy.raw = nil
        copy.offset = nil
        return copy
    }
}
