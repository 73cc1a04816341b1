import SocketIOServer

/// Reads values written inside a scenario line: JSON objects and arrays whose members may be values
/// (`{"sid": socket.id, "auth": auth}`), binary (`0x0001feff`, `bytes(0..255)`), and the named
/// values of `LineReader.valueHelp`. Errors give the column, counted from the template's start.
struct ValueTemplate {
    struct Failure: Error {
        /// 0-based offset into the template text.
        var offset: Int
        var message: String
    }

    private let chars: [Character]
    private var i = 0

    /// The whole of `text` as one value; what is all literal folds into `.literal`.
    static func parse(_ text: String) throws(Failure) -> Value {
        var reader = ValueTemplate(chars: Array(text))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.i == reader.chars.count else { throw Failure(offset: reader.i, message: "unexpected text after the value") }
        return value
    }

    private init(chars: [Character]) { self.chars = chars }

    private mutating func skipSpace() {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    }

    private mutating func value() throws(Failure) -> Value {
        skipSpace()
        guard i < chars.count else { throw Failure(offset: i, message: "expected a value") }
        switch chars[i] {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .literal(.string(try string()))
        default: return try bare()
        }
    }

    private mutating func object() throws(Failure) -> Value {
        i += 1
        var fields: [(String, Value)] = []
        skipSpace()
        if i < chars.count, chars[i] == "}" { i += 1; return .literal(.object(JSONObject())) }
        while true {
            skipSpace()
            guard i < chars.count, chars[i] == "\"" else { throw Failure(offset: i, message: "expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < chars.count, chars[i] == ":" else { throw Failure(offset: i, message: "expected ':' after the key") }
            i += 1
            fields.append((key, try value()))
            skipSpace()
            guard i < chars.count else { throw Failure(offset: i, message: "expected ',' or '}'") }
            if chars[i] == "}" { i += 1; break }
            guard chars[i] == "," else { throw Failure(offset: i, message: "expected ',' or '}'") }
            i += 1
        }
        if fields.allSatisfy({ $0.1.literalValue != nil }) {
            return .literal(.object(JSONObject(fields.map { ($0.0, $0.1.literalValue!) })))
        }
        return .object(fields.map { ValueField(key: $0.0, value: $0.1) })
    }

    private mutating func array() throws(Failure) -> Value {
        i += 1
        var items: [Value] = []
        skipSpace()
        if i < chars.count, chars[i] == "]" { i += 1; return .literal(.array([])) }
        while true {
            items.append(try value())
            skipSpace()
            guard i < chars.count else { throw Failure(offset: i, message: "expected ',' or ']'") }
            if chars[i] == "]" { i += 1; break }
            guard chars[i] == "," else { throw Failure(offset: i, message: "expected ',' or ']'") }
            i += 1
        }
        let literals = items.compactMap(\.literalValue)
        return literals.count == items.count ? .literal(.array(literals)) : .array(items)
    }

    /// A JSON string, escapes and all.
    private mutating func string() throws(Failure) -> String {
        let start = i
        i += 1
        while i < chars.count, chars[i] != "\"" { i += chars[i] == "\\" ? 2 : 1 }
        guard i < chars.count else { throw Failure(offset: start, message: "unterminated string") }
        i += 1
        let text = String(chars[start..<i])
        guard case .string(let s)? = try? JSONParser.parse(text) else { throw Failure(offset: start, message: "invalid string \(text)") }
        return s
    }

    /// A named value, a number, true, false, null, or binary; it ends at a separator outside parentheses.
    private mutating func bare() throws(Failure) -> Value {
        let start = i
        var depth = 0
        while i < chars.count {
            let c = chars[i]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if depth == 0, c == "," || c == "}" || c == "]" || c == " " || c == "\t" { break }
            i += 1
        }
        let word = String(chars[start..<i])
        guard !word.isEmpty else { throw Failure(offset: start, message: "expected a value") }
        guard let value = Self.named(word) else {
            throw Failure(offset: start, message: "unknown value '\(word)': expected \(LineReader.valueHelp)")
        }
        return value
    }

    /// A value written as one word: `socket.id`, `arg0`, `auth.user.name`, `connected(/admin, arg0)`,
    /// `0x00ff`, `bytes(0..255)`, a number, true, false or null.
    static func named(_ w: String) -> Value? {
        switch w {
        case "args": return .arguments
        case "auth": return .auth([])
        case "socket.id": return .socketID
        case "socket.nsp": return .namespace
        case "socket.transport": return .transport
        case "socket.rooms": return .rooms
        case "socket.count": return .socketCount
        default: break
        }
        if w.hasPrefix("arg"), let n = Int(w.dropFirst(3)), n >= 0 { return .argument(n) }
        if w.hasPrefix("auth."), w.count > 5 { return .auth(w.dropFirst(5).split(separator: ".").map(String.init)) }
        if w.hasPrefix("query."), w.count > 6 { return .query(String(w.dropFirst(6))) }
        if w.hasPrefix("header."), w.count > 7 { return .header(String(w.dropFirst(7))) }
        if w.hasPrefix("connected("), w.hasSuffix(")") { return connected(String(w.dropFirst(10).dropLast())) }
        if w.hasPrefix("bytes("), w.hasSuffix(")") { return byteRange(String(w.dropFirst(6).dropLast())) }
        if w.hasPrefix("0x") { return hex(String(w.dropFirst(2))) }
        if let literal = try? JSONParser.parse(w) { return .literal(literal) }
        return nil
    }

    /// `connected(SID)` in the socket's own namespace, or `connected(NSP, SID)` in another.
    private static func connected(_ inside: String) -> Value? {
        let parts = inside.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        switch parts.count {
        case 1:
            return (try? parse(parts[0])).map { .isConnected($0) }
        case 2:
            // A namespace written bare (`/admin`) is its name; anything else is a value.
            let namespace: Value? = parts[0].hasPrefix("/") ? .literal(.string(parts[0])) : try? parse(parts[0])
            guard let namespace, let id = try? parse(parts[1]) else { return nil }
            return .isConnectedIn(namespace: namespace, id: id)
        default:
            return nil
        }
    }

    /// `bytes(A..B)`: the bytes A through B, both included, 0 to 255.
    private static func byteRange(_ inside: String) -> Value? {
        let bounds = inside.split(separator: ".", omittingEmptySubsequences: true)
        guard inside.contains(".."), bounds.count == 2, let low = UInt8(bounds[0]), let high = UInt8(bounds[1]), low <= high else {
            return nil
        }
        return .literal(.binary(Array(low...high)))
    }

    /// `0x0001feff`: an even number of hex digits, at least two.
    private static func hex(_ digits: String) -> Value? {
        let utf8 = Array(digits.utf8)
        guard !utf8.isEmpty, utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        for pair in stride(from: 0, to: utf8.count, by: 2) {
            guard let byte = UInt8(String(decoding: utf8[pair...pair + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return .literal(.binary(bytes))
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
