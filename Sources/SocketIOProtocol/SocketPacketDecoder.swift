/// What one message did to the decoder.
public enum SocketDecoderResult: Sendable, Hashable {
    /// A whole packet, binary values restored.
    case packet(SocketPacket)
    /// A binary packet's text arrived (or one of its attachments); this many attachments are still due.
    case needsAttachments(remaining: Int)
}

/// Turns the messages of one connection back into packets. Text packets decode at once; a
/// BINARY_EVENT or BINARY_ACK waits for the binary messages that follow it.
///
/// Everything is checked before anything is kept: the packet's shape, its placeholders against the
/// declared attachment count, and that count against the limit. After an error the decoder is empty
/// again; the connection that sent the bad input should be closed with reason "parse error".
public struct SocketPacketDecoder: Sendable {
    public var limits: SocketLimits

    private struct Pending: Sendable {
        var packet: SocketPacket
        var declared: Int
        var attachments: [[UInt8]]
    }
    private var pending: Pending?

    public init(limits: SocketLimits = .init()) {
        self.limits = limits
    }

    /// Attachments still due for the packet being assembled (0 when none is).
    public var awaitingAttachments: Int {
        pending.map { $0.declared - $0.attachments.count } ?? 0
    }

    /// The binary packet being assembled, placeholders still in place.
    public var pendingPacket: SocketPacket? { pending?.packet }

    public mutating func reset() { pending = nil }

    public mutating func decode(text: String) throws(SocketDecodeError) -> SocketDecoderResult {
        return try text.withUTF8Bytes { (buffer) throws(SocketDecodeError) -> SocketDecoderResult in try decode(textBytes: buffer) }
    }

    public mutating func decode(textBytes: [UInt8]) throws(SocketDecodeError) -> SocketDecoderResult {
        try textBytes.withBytes { (buffer) throws(SocketDecodeError) -> SocketDecoderResult in
            try decode(textBytes: buffer)
        }
    }

    /// Decodes the text of one Engine.IO message packet (without its leading `4`).
    public mutating func decode(textBytes bytes: UnsafeBufferPointer<UInt8>) throws(SocketDecodeError) -> SocketDecoderResult {
        if let pending {
            self.pending = nil
            throw SocketDecodeError(.textWhileAwaitingAttachments(remaining: pending.declared - pending.attachments.count), at: 0)
        }
        let layout = try SocketPacketLayout.scan(bytes, limits: limits)
        var payload: JSONValue? = nil
        if let range = layout.payloadRange {
            do {
                payload = try JSONParser.parse(
                    UnsafeBufferPointer(rebasing: bytes[range]), limits: JSONLimits(maxDepth: limits.maxDepth),
                    baseOffset: range.lowerBound)
            } catch {
                throw SocketDecodeError(.invalidJSON(error.kind), at: error.offset)
            }
        }
        let payloadOffset = layout.payloadRange?.lowerBound ?? bytes.count
        if let kind = PacketRules.violation(type: layout.type, payload: payload, rejectReserved: limits.rejectReservedEventNames) {
            throw SocketDecodeError(kind, at: payloadOffset)
        }
        let packet = SocketPacket(type: layout.type, namespace: layout.namespace, id: layout.id, payload: payload)
        guard let declared = layout.attachmentCount else { return .packet(packet) }
        if let payload, let range = layout.payloadRange {
            do {
                try Placeholders.validate(payload, declared: declared, offset: payloadOffset, offsets: [])
            } catch {
                // Rare: parse again, noting where each placeholder sits, so the error points at it.
                var offsets: [Int]? = []
                _ = try? JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[range]), limits: JSONLimits(maxDepth: limits.maxDepth),
                                          baseOffset: range.lowerBound, placeholderOffsets: &offsets)
                try Placeholders.validate(payload, declared: declared, offset: payloadOffset, offsets: offsets ?? [])
            }
        } else if declared > 0 {
            throw SocketDecodeError(.unreferencedAttachments(declared: declared, referenced: 0), at: payloadOffset)
        }
        if declared == 0 { return .packet(packet) }
        var attachments: [[UInt8]] = []
        attachments.reserveCapacity(declared)
        pending = Pending(packet: packet, declared: declared, attachments: attachments)
        return .needsAttachments(remaining: declared)
    }

    /// Takes one binary Engine.IO message: the next attachment of the pending packet.
    public mutating func decode(binary: [UInt8]) throws(SocketDecodeError) -> SocketDecoderResult {
        guard var current = pending else { throw SocketDecodeError(.unexpectedBinaryAttachment, at: 0) }
        current.attachments.append(binary)
        if current.attachments.count < current.declared {
            pending = current
            return .needsAttachments(remaining: current.declared - current.attachments.count)
        }
        pending = nil
        var packet = current.packet
        current.packet.payload = nil  // drop the second reference so the payload is changed in place
        if var payload = packet.payload {
            packet.payload = nil
            Placeholders.reconstruct(&payload, attachments: current.attachments)
            packet.payload = payload
        }
        return .packet(packet)
    }
}
