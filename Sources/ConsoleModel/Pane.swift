/// The five panes, numbered as their titles show and as the 1–5 keys select them.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case namespaces = 1, sockets, packets, detail, middleware

    public var title: String {
        switch self {
        case .namespaces: return "Namespaces"
        case .sockets: return "Sockets"
        case .packets: return "Packets"
        case .detail: return "Detail"
        case .middleware: return "Middleware"
        }
    }

    public var next: Pane { Pane(rawValue: rawValue % 5 + 1)! }
    public var previous: Pane { Pane(rawValue: (rawValue + 3) % 5 + 1)! }
}

/// What keys do right now.
public enum Mode: Sendable, Hashable {
    case normal
    case help
    case input(InputKind)
}

/// The bottom line's uses.
public enum InputKind: String, Sendable, Hashable {
    /// `/`: the packets filter, applied live.
    case filter
    /// `:`: a command.
    case command
    /// `i`: an emit (the same grammar as `:emit`, without the word).
    case emit
    /// `a` in the tour: the answer to the step's question.
    case answer

    /// The word before the typed text (`filter`, `emit`; a command has only its colon).
    public var label: String {
        switch self {
        case .filter: return "filter"
        case .command: return ""
        case .emit: return "emit"
        case .answer: return "answer"
        }
    }
}

/// A one-line text field with a cursor (a position in characters).
public struct TextField: Sendable, Hashable {
    public var text: String = ""
    public var cursor: Int = 0

    public init(text: String = "") {
        self.text = text
        cursor = text.count
    }

    mutating func insert(_ c: Character) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(c, at: index)
        cursor += 1
    }

    mutating func backspace() {
        guard cursor > 0 else { return }
        let index = text.index(text.startIndex, offsetBy: cursor - 1)
        text.remove(at: index)
        cursor -= 1
    }

    mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor))
    }

    mutating func move(_ delta: Int) { cursor = min(max(0, cursor + delta), text.count) }
}
