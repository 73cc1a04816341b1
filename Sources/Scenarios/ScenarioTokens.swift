import SocketIOServer

/// One token of a scenario line: a bare word, a quoted string, or a JSON object or array.
struct Token {
    enum Kind {
        case word(String)
        case string(String)
        case json(JSONValue)
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
                    throw Failure(column: start + 1, message: "invalid JSON \(text): \(error.message)")
                }
                continue
            }
            while i < chars.count, chars[i] != " ", chars[i] != "\t", chars[i] != "\r" { i += 1 }
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
        case .json: throw error("expected \(expected)", at: position - 1)
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

    static let valueHelp = "a JSON literal, args, argN, auth, auth.PATH, query.NAME, header.NAME, socket.id, socket.nsp, socket.transport, socket.rooms, socket.count or connected(VALUE)"

    mutating func value() throws(ScenarioFileError) -> Value {
        let token = try next(Self.valueHelp)
        switch token.kind {
        case .string(let s): return .literal(.string(s))
        case .json(let v): return .literal(v)
        case .word(let w):
            guard let value = Self.value(named: w) else {
                throw error("unknown value '\(w)': expected \(Self.valueHelp)", at: position - 1)
            }
            return value
        }
    }

    static func value(named w: String) -> Value? {
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
        if w.hasPrefix("auth.") { return .auth(w.dropFirst(5).split(separator: ".").map(String.init)) }
        if w.hasPrefix("query."), w.count > 6 { return .query(String(w.dropFirst(6))) }
        if w.hasPrefix("header."), w.count > 7 { return .header(String(w.dropFirst(7))) }
        if w.hasPrefix("connected("), w.hasSuffix(")") {
            return value(named: String(w.dropFirst(10).dropLast())).map { .isConnected($0) }
        }
        if let literal = try? JSONParser.parse(w) { return .literal(literal) }
        return nil
    }

    func expectEnd() throws(ScenarioFileError) {
        guard atEnd else { throw error("unexpected text at the end of the line", at: position) }
    }
}
