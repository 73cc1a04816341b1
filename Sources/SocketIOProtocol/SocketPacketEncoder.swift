/// A packet ready for the wire: the text (without the Engine.IO `4`) and the binary attachments that
/// follow it, one Engine.IO binary message each.
public struct EncodedSocketPacket: Sendable, Hashable {
    public var bytes: [UInt8]
    public var attachments: [[UInt8]]

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Why a packet cannot be sent as it is.
public enum SocketEncodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Empty, not starting with `/`, or holding a `,` (which would end it early on the wire) or a
    /// control character (the record separator would split a polling body).
    case invalidNamespace(String)
    case ackIDOutOfRange(UInt64)
    /// The payload or id breaks a rule of the specification; the decoder names it the same way.
    case invalidPacket(SocketDecodeError.Kind)

    public var description: String {
        switch self {
        case .invalidNamespace(let name):
            return "invalid namespace \"\(name)\": it must start with '/' and contain no ',' or control characters"
        case .ackIDOutOfRange(let id): return "ack id \(id) is larger than 2^53-1"
        case .invalidPacket(let kind): return SocketDecodeError(kind, at: 0).message
        }
    }
}

public enum SocketPacketEncoder {
    /// Encodes a packet. EVENT and ACK become BINARY_EVENT and BINARY_ACK when the payload holds binary.
    public static func encode(_ packet: SocketPacket) throws(SocketEncodeError) -> EncodedSocketPacket {
        try validate(packet)
        if packet.type.isBinary { return write(packet, as: packet.type, binaryCount: packet.binaryCount) }
        // Most packets hold no binary, and finding out means walking the whole payload: it is
        // written as it is, and written again as binary (the count comes first) only when the
        // writer met binary values on the way.
        let plain = write(packet, as: packet.type, binaryCount: 0)
        guard !plain.attachments.isEmpty else { return plain }
        switch packet.type {
        case .event: return write(packet, as: .binaryEvent, binaryCount: plain.attachments.count)
        case .ack: return write(packet, as: .binaryAck, binaryCount: plain.attachments.count)
        default: throw .invalidPacket(.unexpectedPayload(packet.type))
        }
    }

    private static func write(_ packet: SocketPacket, as type: SocketPacketType, binaryCount: Int) -> EncodedSocketPacket {
        var writer = JSONWriter(binaryStyle: .placeholders, reservingCapacity: 32)
        writer.appendRaw(type.digit)
        if type.isBinary {
            writer.writeInteger(Int64(binaryCount))
            writer.appendRaw(UInt8(ascii: "-"))
        }
        if packet.namespace != "/" {
            writer.appendRaw(packet.namespace.utf8)
            writer.appendRaw(UInt8(ascii: ","))
        }
        if let id = packet.id {
            writer.writeInteger(Int64(id))
        }
        if let payload = packet.payload {
            writer.write(payload)
        }
        return EncodedSocketPacket(bytes: writer.bytes, attachments: writer.attachments)
    }

    static func validate(_ packet: SocketPacket) throws(SocketEncodeError) {
        let ns = packet.namespace
        if ns.utf8.first != UInt8(ascii: "/") || ns.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 < 0x20 || $0 == 0x7F }) {
            throw .invalidNamespace(ns)
        }
        if let id = packet.id {
            if id > SocketPacket.maxAckID { throw .ackIDOutOfRange(id) }
            if !(packet.type.isEvent || packet.type.isAck) { throw .invalidPacket(.ackIDNotAllowed(packet.type)) }
        } else if packet.type.isAck {
            throw .invalidPacket(.missingAckID(packet.type))
        }
        if let kind = PacketRules.violation(type: packet.type, payload: packet.payload, rejectReserved: true) {
            throw .invalidPacket(kind)
        }
    }
}
