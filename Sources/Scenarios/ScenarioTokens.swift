import SocketIOServer

/// One token of a scenario line: a bare word, a quoted string, or a JSON object or array.
struct Token {
    enum Kind {
        case word(String)
        case string(String)
        case json(JSONValue)
        /// An object or array that is not plain JSON: values inside (`{"sid": socket.id}`), read by
        /// `ValueTemplate`; `jsonError` says why it is not JSON, for where only JSON will do.
        case template(String, jsonError: String)
    }
    var kind: Kind
    /// 1-based column where the token starts.
    var column: Int
}

enum Tokenizer {
    struct Failure: Error {
        var column: Int
        var message: String
    }

    /// Splits a line into tokens; `#` outside a string starts a comment.
    static func tokens(_ line: String) throws(Failure) -> [Token] {
        let chars = Array(line)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "#" { break }
            let start = i
            if c == "\"" || c == "{" || c == "[" {
                i = try endOfJSON(chars, from: i)
                let text = String(chars[start..<i])
                do {
                    let value = try JSONParser.parse(text)
                    if case .string(let s) = value {
                        tokens.append(Token(kind: .string(s), column: start + 1))
                    } else {
                        tokens.append(Token(kind: .json(value), column: start + 1))
                    }
                } catch {
                    guard c != "\"" else { throw Failure(column: start + 1, message: "invalid JSON \(text): \(error.message)") }
                    tokens.append(Token(kind: .template(text, jsonError: error.message), column: start + 1))
                }
                continue
            }
            // A word; spaces inside parentheses belong to it (`connected(/admin, arg0)`).
            var depth = 0
            while i < chars.count, depth > 0 || (chars[i] != " " && chars[i] != "\t" && chars[i] != "\r") {
                if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                i += 1
            }
            tokens.append(Token(kind: .word(String(chars[start..<i])), column: start + 1))
        }
        return tokens
    }

    /// The index just past the string, object or array starting at `start` (strings respected).
    static func endOfJSON(_ chars: [Character], from start: Int) throws(Failure) -> Int {
        var depth = 0
        var inString = false
        var i = start
        while i < chars.count {
            let c = chars[i]
            if inString {
                if c == "\\" { i += 2; continue }
                if c == "\"" {
                    inString = false
                    if depth == 0 { return i + 1 }
                }
            } else if c == "\"" {
                inString = true
            } else if c == "{" || c == "[" {
                depth += 1
            } else if c == "}" || c == "]" {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        throw Failure(column: start + 1, message: inString ? "unterminated string" : "unbalanced brackets: the JSON value does not end on this line")
    }
}

/// Reads the tokens of one line in order, with errors that point at them.
struct LineReader {
    let tokens: [Token]
    let file: String
    let line: Int
    /// The column just past the line, for "expected more" errors.
    let end: Int
    var position = 0

    var atEnd: Bool { position >= tokens.count }

    func error(_ message: String, at index: Int) -> ScenarioFileError {
        let column = index < tokens.count ? tokens[index].column : end
        return ScenarioFileError(file: file, line: line, column: column, message: message)
    }

    func peekWord() -> String? {
        guard position < tokens.count, case .word(let w) = tokens[position].kind else { return nil }
        return w
    }

    mutating func next(_ expected: String) throws(ScenarioFileError) -> Token {
        guard position < tokens.count else { throw error("expected \(expected)", at: position) }
        defer { position += 1 }
        return tokens[position]
    }

    mutating func word(_ expected: String) throws(ScenarioFileError) -> String {
        let token = try next(expected)
        guard case .word(let w) = token.kind else { throw error("expected \(expected)", at: position - 1) }
        return w
    }

    /// A bare word or a quoted string (event and middleware names may hold spaces when quoted).
    mutating func name(_ expected: String) throws(ScenarioFileError) -> String {
        let token = try next(expected)
        switch token.kind {
        case .word(let w), .string(let w): return w
        case .json, .template: throw error("expected \(expected)", at: position - 1)
        }
    }

    mutating func string(_ expected: String) throws(ScenarioFileError) -> String {
        let token = try next(expected)
        guard case .string(let s) = token.kind else { throw error("expected \(expected)", at: position - 1) }
        return s
    }

    mutating func positiveInteger(_ unit: String) throws(ScenarioFileError) -> Int {
        let w = try word("a number of \(unit)")
        guard let n = Int(w), n > 0 else { throw error("expected a positive whole number of \(unit), found '\(w)'", at: position - 1) }
        return n
    }

    /// A JSON literal: a quoted string, an object or array, a number, true, false or null.
    mutating func literal(_ expected: String) throws(ScenarioFileError) -> JSONValue {
        let token = try next(expected)
        switch token.kind {
        case .string(let s): return .string(s)
        case .json(let v): return v
        case .template(let text, let jsonError):
            throw error("expected \(expected): invalid JSON \(text): \(jsonError)", at: position - 1)
        case .word(let w):
            guard let v = try? JSONParser.parse(w) else { throw error("expected \(expected), found '\(w)'", at: position - 1) }
            return v
        }
    }

    mutating func values() throws(ScenarioFileError) -> [Value] {
        var list: [Value] = []
        while !atEnd { list.append(try value()) }
        return list
    }

    static let valueHelp = "a JSON literal, an object or array of values, args, argN, auth, auth.PATH, query.NAME, header.NAME, "
        + "socket.id, socket.nsp, socket.transport, socket.rooms, socket.count, connected(SID), connected(NSP, SID), 0xHEX or bytes(A..B)"

    mutating func value() throws(ScenarioFileError) -> Value {
        let token = try next(Self.valueHelp)
        switch token.kind {
        case .string(let s): return .literal(.string(s))
        case .json(let v): return .literal(v)
        case .template(let text, _):
            do {
                return try ValueTemplate.parse(text)
            } catch {
                throw ScenarioFileError(file: file, line: line, column: token.column + error.offset,
                                        message: "in \(text): \(error.message)")
            }
        case .word(let w):
            guard let value = ValueTemplate.named(w) else {
                throw error("unknown value '\(w)': expected \(Self.valueHelp)", at: position - 1)
            }
            return value
        }
    }

    /// `VALUE ==|!= LITERAL` or `VALUE exists`: a middleware's `require` and an action's `if`.
    mutating func condition() throws(ScenarioFileError) -> Condition {
        let value = try value()
        let op = try word("==, != or exists")
        switch op {
        case "==": return Condition(value, .equals(try literal("the JSON value to compare with")))
        case "!=": return Condition(value, .notEquals(try literal("the JSON value to compare with")))
        case "exists": return Condition(value, .exists)
        default: throw error("expected ==, != or exists, found '\(op)'", at: position - 1)
        }
    }

    func expectEnd() throws(ScenarioFileError) {
        guard atEnd else { throw error("unexpected text at the end of the line", at: position) }
    }
}
