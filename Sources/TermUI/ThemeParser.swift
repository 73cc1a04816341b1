/// A theme file that cannot be used, and where.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads theme files, a small TOML subset:
///
///     # comment
///     name = "harbor"
///     [palette]
///     sky = "#62a6d9"
///     [roles]
///     row.selected = "black on sky +bold"      # <fg> [on <bg>] [+attribute ...]
///
/// Colour tokens are palette names, `#rrggbb`, ANSI names (`red`, `bright-blue`), `0`–`255` or
/// `default`. Unknown roles are warnings (they may belong to a newer sioscope); everything else
/// that does not parse is an error naming file, line and column.
public enum ThemeParser {
    public static func parse(_ text: String, file: String, base: Theme? = Theme.fallback) throws(ThemeError) -> Theme {
        var name: String? = nil
        var palette: [String: Color] = [:]
        var styles = base?.styles ?? [:]
        var warnings: [String] = []
        var section = ""
        let known = Set(Role.all)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            func fail(_ column: Int, _ message: String) -> ThemeError {
                ThemeError(file: file, line: lineNumber, column: column, message: message)
            }
            let line = stripComment(String(rawLine))
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            let indent = line.count - line.drop(while: { $0 == " " || $0 == "\t" }).count
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else { throw fail(indent + 1, "a section header ends with ']'") }
                section = String(trimmed.dropFirst().dropLast()).trimmingSpaces
                guard section == "palette" || section == "roles" else {
                    throw fail(indent + 2, "unknown section [\(section)]; a theme has [palette] and [roles]")
                }
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw fail(indent + 1, "expected `key = \"value\"`")
            }
            let key = String(trimmed[..<equals]).trimmingSpaces
            let valuePart = String(trimmed[trimmed.index(after: equals)...]).trimmingSpaces
            let valueColumn = indent + trimmed.distance(from: trimmed.startIndex, to: equals) + 2
                + (trimmed[trimmed.index(after: equals)...].prefix { $0 == " " }.count)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) else {
                throw fail(indent + 1, "bad key '\(key)': use letters, digits, '.', '-' and '_'")
            }
            guard valuePart.count >= 2, valuePart.hasPrefix("\""), valuePart.hasSuffix("\""),
                  !valuePart.dropFirst().dropLast().contains("\"") else {
                throw fail(valueColumn, "the value of '\(key)' must be one double-quoted string")
            }
            let value = String(valuePart.dropFirst().dropLast())
            switch section {
            case "":
                switch key {
                case "name": name = value
                case "inherit":
                    guard value == "default" || value == "fallback" else {
                        throw fail(valueColumn, "inherit can only name the built-in theme (\"default\")")
                    }
                case "depth":
                    guard ColorDepth(rawValue: value) != nil else {
                        throw fail(valueColumn, "depth is one of \(ColorDepth.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                default: warnings.append("\(file):\(lineNumber): unknown setting '\(key)'")
                }
            case "palette":
                guard let color = Color(token: value) else {
                    throw fail(valueColumn, "'\(value)' is not a colour (#rrggbb, 0-255, an ANSI name or default)")
                }
                palette[key] = color
            default:
                let style: Style
                do { style = try parseStyle(value, palette: palette) } catch let message {
                    throw fail(valueColumn, message.text)
                }
                let role = Role(key)
                if !known.contains(role) { warnings.append("\(file):\(lineNumber): unknown role '\(key)'") }
                styles[role] = style
            }
        }
        guard let name, !name.isEmpty else {
            throw ThemeError(file: file, line: 1, column: 1, message: "a theme needs `name = \"...\"`")
        }
        return Theme(name: name, styles: styles, warnings: warnings)
    }

    struct Message: Error { var text: String }

    /// `<fg> [on <bg>] [+attr ...]`, or only attributes.
    static func parseStyle(_ value: String, palette: [String: Color]) throws(Message) -> Style {
        var style = Style()
        var expectBackground = false
        var sawColour = false
        for word in value.split(separator: " ").map(String.init) {
            if word.hasPrefix("+") {
                guard let attribute = Attributes.names.first(where: { $0.0 == word.dropFirst() })?.1 else {
                    throw Message(text: "unknown attribute '\(word)' (+bold, +dim, +underline, +reverse, +italic)")
                }
                style.attributes.insert(attribute)
            } else if word == "on" {
                guard sawColour, !expectBackground else { throw Message(text: "'on' goes between two colours") }
                expectBackground = true
            } else {
                guard let color = palette[word] ?? Color(token: word) else {
                    throw Message(text: "'\(word)' is not a colour or palette name")
                }
                if expectBackground {
                    style.background = color
                    expectBackground = false
                } else {
                    guard !sawColour else { throw Message(text: "two foreground colours; write '<fg> on <bg>'") }
                    style.foreground = color
                    sawColour = true
                }
            }
        }
        if expectBackground { throw Message(text: "'on' needs a background colour after it") }
        return style
    }

    /// The line without a `#` comment (a `#` inside quotes is a hex colour, not a comment).
    static func stripComment(_ line: String) -> String {
        var inString = false
        var out = ""
        for c in line {
            if c == "\"" { inString.toggle() }
            if c == "#", !inString { break }
            out.append(c)
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
