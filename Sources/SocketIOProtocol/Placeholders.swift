/// The `{"_placeholder":true,"num":N}` objects that stand for binary attachments in packet text.
enum Placeholders {
    /// The placeholder's `num` if `object` is a placeholder (has `_placeholder: true`); throws when
    /// it is one but its number is unusable.
    static func number(of object: JSONObject, attachments: Int, offset: Int) throws(SocketDecodeError) -> Int? {
        guard case .bool(true)? = object["_placeholder"] else { return nil }
        let num: Int64
        switch object["num"] {
        case .int(let v)?: num = v
        case .double(let d)? where abs(d) < 1e15 && Double(Int64(d)) == d: num = Int64(d)
        default: throw SocketDecodeError(.placeholderNumNotInteger, at: offset)
        }
        guard num >= 0 && num < Int64(attachments) else {
            throw SocketDecodeError(.placeholderNumOutOfRange(num: num, attachments: attachments), at: offset)
        }
        return Int(num)
    }

    /// Checks every placeholder in `value` against the declared count, and that each attachment is
    /// used exactly once. (socket.io-parser lets many placeholders name one attachment: a packet of
    /// a thousand placeholders and one attachment then re-encodes, an echo say, as a thousand
    /// attachments. No encoder writes that; it is refused here.)
    /// `offsets` are the placeholder objects' positions in document order, for pointed errors;
    /// `offset` (the payload's) is used past their end.
    static func validate(_ value: JSONValue, declared: Int, offset: Int, offsets: [Int]) throws(SocketDecodeError) {
        var walker = Walker(offsets: offsets, fallback: offset, declared: declared)
        try walker.visit(value)
        let used = walker.referenced.nonzeroBitCount
        if used != declared {
            throw SocketDecodeError(.unreferencedAttachments(declared: declared, referenced: used), at: offset)
        }
    }

    /// Walks placeholders in document order, pairing each with its recorded offset.
    private struct Walker {
        let offsets: [Int]
        let fallback: Int
        let declared: Int
        var seen = 0
        /// Bit n set: attachment n is referenced. The attachment limit keeps n well below 64.
        var referenced: UInt64 = 0

        mutating func visit(_ value: JSONValue) throws(SocketDecodeError) {
            switch value {
            case .array(let items):
                for item in items { try visit(item) }
            case .object(let object):
                let here = seen < offsets.count ? offsets[seen] : fallback
                if object["_placeholder"] != nil { seen += 1 }
                if let num = try number(of: object, attachments: declared, offset: here) {
                    let bit: UInt64 = 1 << UInt64(num)
                    guard referenced & bit == 0 else { throw SocketDecodeError(.attachmentReferencedTwice(num: num), at: here) }
                    referenced |= bit
                } else {
                    for item in object.values { try visit(item) }
                }
            default:
                break
            }
        }
    }

    /// Replaces every placeholder with its attachment (already validated), in place: containers are
    /// taken out of the enum while they change so copy-on-write never copies them.
    static func reconstruct(_ value: inout JSONValue, attachments: [[UInt8]]) {
        switch value {
        case .array(var items):
            value = .null
            for i in items.indices { reconstruct(&items[i], attachments: attachments) }
            value = .array(items)
        case .object(var object):
            if let num = try? number(of: object, attachments: attachments.count, offset: 0) {
                value = .binary(attachments[num])
                return
            }
            value = .null
            object.updateValues { reconstruct(&$0, attachments: attachments) }
            value = .object(object)
        default:
            return
        }
    }
}
