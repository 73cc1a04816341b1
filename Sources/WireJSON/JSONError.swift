/// Why a JSON text was refused, and the byte offset (from the start of the parsed text) where.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString(UInt8)
        case invalidUTF8
        case tooDeep(limit: Int)
        case trailingCharacters
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
        case .unexpectedEnd: return "JSON ends too early"
        case .unexpectedByte(let b): return "unexpected \(describeByte(b)) in JSON"
        case .invalidNumber: return "malformed JSON number"
        case .invalidEscape: return "invalid escape sequence in JSON string"
        case .invalidUnicodeEscape: return "invalid \\u escape in JSON string"
        case .controlCharacterInString(let b):
            return "raw control character 0x\(hexByte(b)) in JSON string (it must be escaped)"
        case .invalidUTF8: return "invalid UTF-8 in JSON text"
        case .tooDeep(let limit): return "JSON nested deeper than \(limit) levels"
        case .trailingCharacters: return "unexpected characters after the JSON value"
        }
    }
}

/// A byte as a person reads it in an error: `'x'` when printable ASCII, else `byte 0xNN`.
public func describeByte(_ b: UInt8) -> String {
    if b >= 0x21 && b < 0x7f { return "'\(Character(Unicode.Scalar(b)))'" }
    if b == 0x20 { return "space" }
    return "byte 0x\(hexByte(b))"
}

@inlinable
public func hexByte(_ b: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(b >> 4)], digits[Int(b & 0xf)]])
}
