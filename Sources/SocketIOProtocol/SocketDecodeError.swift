/// Why Socket.IO input was refused, and the byte offset (from the start of the Socket.IO packet
/// text, after the Engine.IO `4`) where. The connection that sent it should be closed ("parse error").
public struct SocketDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case emptyPacket
        case unknownPacketType(UInt8)
        case tooLarge(size: Int, limit: Int)
        case invalidUTF8
        /// BINARY_EVENT/BINARY_ACK without `<count>-`, or the count is not a number.
        case malformedAttachmentCount
        case tooManyAttachments(declared: Int, limit: Int)
        /// Something like `2admin,[...]`: a namespace must start with `/`.
        case namespaceWithoutLeadingSlash
        /// A control character in a namespace name (it could split polling bodies or drive a terminal).
        case controlCharacterInNamespace(UInt8)
        /// More digits than any ack id may have, or a value above 2^53 - 1.
        case ackIDOutOfRange
        case ackIDNotAllowed(SocketPacketType)
        case missingAckID(SocketPacketType)
        case invalidJSON(JSONError.Kind)
        case missingPayload(SocketPacketType)
        case unexpectedPayload(SocketPacketType)
        case eventPayloadNotArray(found: String)
        case emptyEventPayload
        case eventNameNotString(found: String)
        case reservedEventName(String)
        case ackPayloadNotArray(found: String)
        case connectPayloadNotObject(found: String)
        case connectErrorPayloadNotObject(found: String)
        case placeholderNumNotInteger
        case placeholderNumOutOfRange(num: Int64, attachments: Int)
        /// Declared attachments that no placeholder refers to.
        case unreferencedAttachments(declared: Int, referenced: Int)
        /// A second placeholder for an attachment an earlier one already stands for.
        case attachmentReferencedTwice(num: Int)
        /// A text message arrived while a binary packet still waited for attachments.
        case textWhileAwaitingAttachments(remaining: Int)
        /// A binary message arrived with no binary packet waiting for it.
        case unexpectedBinaryAttachment
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }

    /// The reason without the position.
    public var message: String {
        switch kind {
        case .emptyPacket: return "empty Socket.IO packet (a packet starts with a type digit 0-6)"
        case .unknownPacketType(let b): return "unknown Socket.IO packet type \(describeByte(b)) (expected a digit 0-6)"
        case .tooLarge(let size, let limit): return "Socket.IO packet of \(size) bytes exceeds the limit of \(limit) bytes"
        case .invalidUTF8: return "invalid UTF-8 in the namespace"
        case .malformedAttachmentCount:
            return "binary packets must declare their attachment count as digits followed by '-' (as in 51-)"
        case .tooManyAttachments(let declared, let limit):
            return "packet declares \(declared) binary attachments; the limit is \(limit)"
        case .namespaceWithoutLeadingSlash: return "namespace must start with '/'"
        case .controlCharacterInNamespace(let b): return "control character \(describeByte(b)) in the namespace"
        case .ackIDOutOfRange: return "ack id is larger than 2^53-1"
        case .ackIDNotAllowed(let type): return "\(type) packets cannot carry an ack id"
        case .missingAckID(let type): return "\(type) packets must carry the ack id they answer"
        case .invalidJSON(let kind): return "invalid payload: \(JSONError(kind, at: 0).message)"
        case .missingPayload(let type): return "\(type) packets must carry a payload"
        case .unexpectedPayload(let type): return "\(type) packets carry no payload"
        case .eventPayloadNotArray(let found): return "event payload must be an array [name, ...args], found \(found)"
        case .emptyEventPayload: return "event payload must not be empty: its first item is the event name"
        case .eventNameNotString(let found): return "event name (first item of the payload) must be a string, found \(found)"
        case .reservedEventName(let name): return "\"\(name)\" is a reserved event name and cannot be sent as an event"
        case .ackPayloadNotArray(let found): return "ack payload must be an array, found \(found)"
        case .connectPayloadNotObject(let found): return "CONNECT payload must be an object, found \(found)"
        case .connectErrorPayloadNotObject(let found):
            return "CONNECT_ERROR payload must be an object {\"message\":...,\"data\":...}, found \(found)"
        case .placeholderNumNotInteger: return "placeholder \"num\" must be an integer"
        case .placeholderNumOutOfRange(let num, let attachments):
            return "placeholder refers to attachment \(num), but the packet declares \(attachments) (numbered from 0)"
        case .unreferencedAttachments(let declared, let referenced):
            return "packet declares \(declared) attachments but its placeholders refer to \(referenced)"
        case .attachmentReferencedTwice(let num):
            return "a second placeholder for attachment \(num): each attachment stands in one place"
        case .textWhileAwaitingAttachments(let remaining):
            return "a text message arrived while \(remaining) binary attachment(s) were still due"
        case .unexpectedBinaryAttachment: return "a binary attachment arrived, but no binary packet was waiting for one"
        }
    }
}

/// Settings for decoding what a peer sends.
public struct SocketLimits: Sendable, Hashable {
    /// Binary attachments one packet may declare (socket.io-parser's maxAttachments default is 10);
    /// kept within 0...`mostAttachments`, far above any real use.
    public var maxAttachments: Int {
        get { storedMaxAttachments }
        set { storedMaxAttachments = Self.clampedAttachments(newValue) }
    }
    private var storedMaxAttachments = 10

    /// The most attachments any limit may allow (a packet's placeholders are tracked in 64 bits).
    public static let mostAttachments = 64

    static func clampedAttachments(_ count: Int) -> Int { min(max(count, 0), mostAttachments) }
    /// JSON nesting depth of a payload; kept within 1...`JSONLimits.deepest` (512).
    public var maxDepth: Int {
        get { storedMaxDepth }
        set { storedMaxDepth = JSONLimits.clampedDepth(newValue) }
    }
    private var storedMaxDepth: Int
    /// Size of the packet text.
    public var maxPacketBytes: Int
    /// Refuse events named like the API's own (connect, disconnect, ...), as socket.io-parser does.
    public var rejectReservedEventNames: Bool

    public init(maxAttachments: Int = 10, maxDepth: Int = 64, maxPacketBytes: Int = 1_000_000,
                rejectReservedEventNames: Bool = true) {
        self.storedMaxAttachments = Self.clampedAttachments(maxAttachments)
        self.storedMaxDepth = JSONLimits.clampedDepth(maxDepth)
        self.maxPacketBytes = maxPacketBytes
        self.rejectReservedEventNames = rejectReservedEventNames
    }
}
