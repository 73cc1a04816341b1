/// One key press as the console sees it, independent of the terminal library.
public enum KeyEvent: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    /// Ctrl plus a letter (`ctrl("c")`).
    case ctrl(Character)
    case special(SpecialKey)

    public enum SpecialKey: String, Hashable, Sendable, CaseIterable {
        case up, down, left, right, home, end, pageUp = "pgup", pageDown = "pgdn"
        case enter, tab, backTab = "s-tab", escape = "esc", backspace, delete = "del"
        case f1, resize
    }

    /// The notation keys are written in, in the help and docs: `j`, `<tab>`, `<ctrl+c>`, `<esc>`.
    public var description: String {
        switch self {
        case .character(" "): return "<space>"
        case .character(let c): return String(c)
        case .ctrl(let c): return "<ctrl+\(c)>"
        case .special(let key): return "<\(key.rawValue)>"
        }
    }

    /// Parses the notation back (`<ctrl+d>`, `<pgdn>`, `G`).
    public init?(notation: String) {
        if notation.count == 1, let c = notation.first { self = .character(c); return }
        guard notation.hasPrefix("<"), notation.hasSuffix(">") else { return nil }
        let inner = String(notation.dropFirst().dropLast())
        if inner == "space" { self = .character(" "); return }
        if inner.hasPrefix("ctrl+"), inner.count == 6, let c = inner.last { self = .ctrl(c); return }
        guard let key = SpecialKey(rawValue: inner) else { return nil }
        self = .special(key)
    }

    /// A key that types a character into a text field.
    public var printable: Character? {
        if case .character(let c) = self { return c }
        return nil
    }
}
