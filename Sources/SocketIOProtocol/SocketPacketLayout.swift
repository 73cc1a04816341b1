/// Where each field of a Socket.IO packet text sits:
/// `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`.
///
/// The decoder reads every packet through this, and the explainer uses the ranges to point at fields.
public struct SocketPacketLayout: Sendable, Hashable {
    public var type: SocketPacketType
    /// The declared attachment count of BINARY_EVENT / BINARY_ACK.
    public var attachmentCount: Int?
    /// The `N-` part.
    public var attachmentsRange: Range<Int>?
    public var namespace: String
    /// The `/name,` part (the comma included when present); nil for the main namespace.
    public var namespaceRange: Range<Int>?
    public var id: UInt64?
    public var idRange: Range<Int>?
    public var payloadRange: Range<Int>?

    /// Reads the header fields and finds the payload; the payload itself is not parsed here.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: SocketLimits = .init()) throws(SocketDecodeError) -> SocketPacketLayout {
        if bytes.count > limits.maxPacketBytes {
            throw SocketDecodeError(.tooLarge(size: bytes.count, limit: limits.maxPacketBytes), at: limits.maxPacketBytes)
        }
        guard let first = bytes.first else { throw SocketDecodeError(.emptyPacket, at: 0) }
        guard let type = SocketPacketType(digit: first) else { throw SocketDecodeError(.unknownPacketType(first), at: 0) }
        var layout = SocketPacketLayout(type: type, namespace: "/")
        var i = 1
        let n = bytes.count

        if type.isBinary {
            let start = i
            var count = 0
            while i < n, isDigit(bytes[i]) {
                // Refuse as soon as the number passes the limit: never trust a declared size.
                count = count * 10 + Int(bytes[i] - 0x30)
                if count > limits.maxAttachments {
                    throw SocketDecodeError(.tooManyAttachments(declared: count, limit: limits.maxAttachments), at: start)
                }
                i += 1
            }
            guard i > start, i < n, bytes[i] == UInt8(ascii: "-") else {
                throw SocketDecodeError(.malformedAttachmentCount, at: i > start ? i : start)
            }
            i += 1
            layout.attachmentCount = count
            layout.attachmentsRange = start..<i
        }

        if i < n, bytes[i] == UInt8(ascii: "/") {
            let start = i
            while i < n, bytes[i] != UInt8(ascii: ",") {
                if bytes[i] < 0x20 || bytes[i] == 0x7F {
                    throw SocketDecodeError(.controlCharacterInNamespace(bytes[i]), at: i)
                }
                i += 1
            }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<i])
            if let bad = UTF8Validation.firstInvalidOffset(in: name) {
                throw SocketDecodeError(.invalidUTF8, at: start + bad)
            }
            layout.namespace = String(decoding: name, as: UTF8.self)
            if i < n { i += 1 }  // the comma
            layout.namespaceRange = start..<i
        } else if i < n, looksLikeNamespaceWithoutSlash(bytes, from: i) {
            throw SocketDecodeError(.namespaceWithoutLeadingSlash, at: i)
        }

        if i < n, isDigit(bytes[i]) {
            let start = i
            var id: UInt64 = 0
            while i < n, isDigit(bytes[i]) {
                id = id * 10 + UInt64(bytes[i] - 0x30)
                if id > SocketPacket.maxAckID { throw SocketDecodeError(.ackIDOutOfRange, at: start) }
                i += 1
            }
            if !(type.isEvent || type.isAck) { throw SocketDecodeError(.ackIDNotAllowed(type), at: start) }
            layout.id = id
            layout.idRange = start..<i
        } else if type.isAck {
            throw SocketDecodeError(.missingAckID(type), at: i)
        }

        if i < n { layout.payloadRange = i..<n }
        return layout
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// `admin,[...]`: letters up to a comma before any JSON begins.
    static func looksLikeNamespaceWithoutSlash(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let b = bytes[start]
        if isDigit(b) || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") || b == UInt8(ascii: "\"") { return false }
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: ","): return true
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""): return false
            default: i += 1
            }
        }
        return false
    }
}
