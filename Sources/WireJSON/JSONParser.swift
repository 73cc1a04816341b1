/// Settings for parsing JSON received from a peer.
public struct JSONLimits: Sendable, Hashable {
    /// Arrays and objects nested deeper than this are refused (the parser recurses once per level).
    /// Kept within 1...`deepest`, whatever is asked.
    public var maxDepth: Int {
        get { storedMaxDepth }
        set { storedMaxDepth = Self.clampedDepth(newValue) }
    }
    private var storedMaxDepth: Int

    /// The deepest nesting any limit may allow. Parsing, writing and releasing a value each recurse
    /// once per level: 10,000 levels overflowed an 8 MiB stack in a debug build; 512 leaves room on
    /// any thread, event loops and the task pool included.
    public static let deepest = 512

    public static func clampedDepth(_ depth: Int) -> Int { min(max(depth, 1), deepest) }

    public init(maxDepth: Int = 64) {
        self.storedMaxDepth = Self.clampedDepth(maxDepth)
    }
}

/// A strict RFC 8259 parser over bytes, with offsets in its errors and a nesting limit.
///
/// Lone UTF-16 surrogates in `\u` escapes (which `JSON.stringify` can produce) become U+FFFD, since a
/// Swift string cannot hold them.
public enum JSONParser {
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .init()) throws(JSONError) -> JSONValue {
        try bytes.withBytes { (buffer) throws(JSONError) -> JSONValue in
            try parse(buffer, limits: limits)
        }
    }

    public static func parse(_ text: String, limits: JSONLimits = .init()) throws(JSONError) -> JSONValue {
        return try text.withUTF8Bytes { (buffer) throws(JSONError) -> JSONValue in try parse(buffer, limits: limits) }
    }

    /// Parses exactly one value that fills the whole buffer (surrounding white space allowed).
    /// `baseOffset` is added to error offsets, for callers parsing a slice of a larger message.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits = .init(), baseOffset: Int = 0
    ) throws(JSONError) -> JSONValue {
        var ignored: [Int]? = nil
        return try parse(buffer, limits: limits, baseOffset: baseOffset, placeholderOffsets: &ignored)
    }

    /// As `parse`, and when `placeholderOffsets` is non-nil, appends the offset (plus `baseOffset`)
    /// of every object that has a `_placeholder` key, in document order, so errors about Socket.IO
    /// placeholders can point at the object itself.
    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits = .init(), baseOffset: Int = 0,
        placeholderOffsets: inout [Int]?
    ) throws(JSONError) -> JSONValue {
        var reader = JSONReader(buffer, maxDepth: limits.maxDepth)
        reader.recordsPlaceholders = placeholderOffsets != nil
        defer {
            if placeholderOffsets != nil { placeholderOffsets = reader.placeholderOffsets.map { $0 + baseOffset } }
        }
        do throws(JSONError) {
            reader.skipWhitespace()
            let value = try reader.parseValue(depth: 0)
            reader.skipWhitespace()
            if reader.index < buffer.count { throw JSONError(.trailingCharacters, at: reader.index) }
            return value
        } catch {
            throw JSONError(error.kind, at: error.offset + baseOffset)
        }
    }
}

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    /// Reused for strings with escapes, so each one does not allocate its own scratch space.
    var scratch: [UInt8] = []
    var recordsPlaceholders = false
    var placeholderOffsets: [Int] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    @inline(__always)
    func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        let b = try peek()
        switch b {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONError(.unexpectedByte(b), at: index)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        for k in 0..<literal.utf8CodeUnitCount {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            if bytes[index] != literal.utf8Start[k] { throw JSONError(.unexpectedByte(bytes[index]), at: index) }
            index += 1
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        if depth > maxDepth { throw JSONError(.tooDeep(limit: maxDepth), at: index) }
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        // Room for an event name and a few arguments at once: growing from one element cost a
        // second allocation in nearly every Socket.IO event.
        items.reserveCapacity(4)
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            let b = try peek()
            index += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { return .array(items) }
            throw JSONError(.unexpectedByte(b), at: index - 1)
        }
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        if depth > maxDepth { throw JSONError(.tooDeep(limit: maxDepth), at: index) }
        let objectStart = index
        index += 1  // {
        var object = JSONObject()
        // Duplicate keys are looked up through this index once an object grows, so a hostile object
        // with many keys costs linear, not quadratic, time.
        var positions: [String: Int]? = nil
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            let b = try peek()
            guard b == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte(b), at: index) }
            let key = try parseString()
            if recordsPlaceholders && key == "_placeholder" { placeholderOffsets.append(objectStart) }
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte(colon), at: index) }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if let existing = positions?[key] ?? (positions == nil ? object.index(forKey: key) : nil) {
                object.replaceValue(at: existing, with: value)
            } else {
                if positions != nil { positions![key] = object.count }
                object.appendNew(key: key, value: value)
                if positions == nil && object.count == 16 {
                    positions = Dictionary(uniqueKeysWithValues: object.entries.enumerated().map { ($1.key, $0) })
                }
            }
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { return .object(object) }
            throw JSONError(.unexpectedByte(next), at: index - 1)
        }
    }

    mutating func parseString() throws(JSONError) -> String {
        index += 1  // opening quote
        let start = index
        var sawNonASCII = false
        // Fast path: no escapes. Scan to the closing quote.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if sawNonASCII, let bad = UTF8Validation.firstInvalidOffset(in: slice) {
                    throw JSONError(.invalidUTF8, at: start + bad)
                }
                index += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw JSONError(.controlCharacterInString(b), at: index) }
            if b >= 0x80 { sawNonASCII = true }
            index += 1
        }
        if index >= bytes.count { throw JSONError(.unexpectedEnd, at: index) }
        return try parseEscapedString(start: start)
    }

    /// The slow path: the string has escapes. Unescapes into scratch space.
    mutating func parseEscapedString(start: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        let prefix = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if let bad = UTF8Validation.firstInvalidOffset(in: prefix) { throw JSONError(.invalidUTF8, at: start + bad) }
        scratch.append(contentsOf: prefix)
        var runStart = index
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                if let bad = UTF8Validation.firstInvalidOffset(in: run) {
                    throw JSONError(.invalidUTF8, at: runStart + bad)
                }
                scratch.append(contentsOf: run)
                if b == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                try appendEscape()
                runStart = index
                continue
            }
            if b < 0x20 { throw JSONError(.controlCharacterInString(b), at: index) }
            index += 1
        }
    }

    mutating func appendEscape() throws(JSONError) {
        let escapeStart = index
        index += 1  // backslash
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // A high surrogate: pair it with a following \uDC00-\uDFFF, or replace it.
                if index + 6 <= bytes.count && bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try readHex4()
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                scalar = 0xFFFD
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw JSONError(.invalidUnicodeEscape, at: escapeStart) }
            scratch.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw JSONError(.invalidEscape, at: escapeStart)
        }
    }

    mutating func readHex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidUnicodeEscape, at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        var magnitude: UInt64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count && isDigit(bytes[index]) {
                if digits < 19 { magnitude = magnitude &* 10 &+ UInt64(bytes[index] &- 0x30) }
                digits += 1
                index += 1
            }
        } else {
            throw JSONError(.invalidNumber, at: index)
        }
        var isInteger = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if isInteger && digits <= 18 {
            let value = Int64(magnitude)
            if negative && value == 0 { return .double(-0.0) }
            return .int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let exact = Int64(text) { return .int(exact) }
        guard let double = Double(text) else { throw JSONError(.invalidNumber, at: start) }
        return .double(double)
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
}
