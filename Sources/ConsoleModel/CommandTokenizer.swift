import WireJSON
/// Splits a typed command into words: spaces separate, but not inside "double quotes" or inside
/// JSON brackets, so `{"text": "hi there"}` stays one word.
public struct CommandToken: Sendable, Hashable {
    public var text: String
    /// 1-based column of the first character, for error messages.
    public var column: Int
}

/// A typed command that cannot run, and where it went wrong.
public struct CommandError: Error, Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }
    public var description: String { "col \(column): \(message)" }
}

public enum CommandTokenizer {
    public static func tokenize(_ text: String) throws(CommandError) -> [CommandToken] {
        var tokens: [CommandToken] = []
        var current = ""
        var start = 0
        var depth = 0
        var inString = false
        var escaped = false
        var column = 0
        for c in text {
            column += 1
            if inString {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case " " where depth == 0:
                if !current.isEmpty { tokens.append(CommandToken(text: current, column: start)) }
                current = ""
                continue
            case "\"":
                inString = true
            case "{", "[":
                depth += 1
            case "}", "]":
                depth -= 1
                if depth < 0 { throw CommandError(column: column, "'\(c)' closes nothing") }
            default:
                break
            }
            if current.isEmpty { start = column }
            current.append(c)
        }
        if inString { throw CommandError(column: start, "unterminated string: add the closing \"") }
        if depth > 0 { throw CommandError(column: start, "unclosed bracket: \(depth) more '}' or ']' needed") }
        if !current.isEmpty { tokens.append(CommandToken(text: current, column: start)) }
        return tokens
    }

    /// A word that may be quoted: `"delete user"` → `delete user`.
    static func unquoted(_ token: CommandToken) throws(CommandError) -> String {
        guard token.text.hasPrefix("\"") else { return token.text }
        guard case .string(let s) = try? JSONParser.parse(token.text) else {
            throw CommandError(column: token.column, "bad quoted text \(token.text)")
        }
        return s
    }
}
