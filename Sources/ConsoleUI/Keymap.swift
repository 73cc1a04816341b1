import ConsoleModel
import TermUI

/// One key binding. The table of these drives dispatch, the status-bar hints and the help overlay.
public struct Binding: Sendable {
    public enum Scope: Sendable, Hashable {
        /// In every mode, the bottom line and the help included.
        case always
        case global
        case pane(Pane)
        case help
        case input
        /// While the guided tour is open, before the pane's and the global keys.
        case tour
    }

    public var keys: [KeyEvent]
    public var scope: Scope
    /// Short, for the status bar.
    public var title: String
    /// One line, for the help overlay.
    public var help: String
    public var showInBar: Bool
    public var action: @Sendable (AppState) -> Action?

    init(_ keys: [String], _ scope: Scope, _ title: String, _ help: String, bar: Bool = false,
         _ action: @escaping @Sendable (AppState) -> Action?) {
        self.keys = keys.map { KeyEvent(notation: $0)! }
        self.scope = scope
        self.title = title
        self.help = help
        self.showInBar = bar
        self.action = action
    }

    init(_ keys: [String], _ scope: Scope, _ title: String, _ help: String, bar: Bool = false, _ action: Action) {
        self.init(keys, scope, title, help, bar: bar) { _ in action }
    }

    /// `j/<down>`: the keys as the help shows them.
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

public enum Keymap {
    public static let bindings: [Binding] = [
        // Always, whatever has the keys.
        Binding(["<ctrl+l>", "<resize>"], .always, "redraw", "draw the whole screen again (also after a resize)", .redraw),
        Binding(["<ctrl+z>"], .always, "suspend", "suspend to the shell; fg brings the console back", .suspend),
        // Global.
        Binding(["?", "<f1>"], .global, "help", "show this help", bar: true, .showHelp),
        Binding(["q", "<ctrl+c>"], .global, "quit", "quit (the terminal is restored)", bar: true, .quit),
        Binding(["<tab>"], .global, "next pane", "focus the next pane", .focusNext),
        Binding(["<s-tab>"], .global, "prev pane", "focus the previous pane", .focusPrevious),
        Binding(["1"], .global, "namespaces", "focus pane 1, Namespaces", .focus(.namespaces)),
        Binding(["2"], .global, "sockets", "focus pane 2, Sockets", .focus(.sockets)),
        Binding(["3"], .global, "packets", "focus pane 3, Packets", .focus(.packets)),
        Binding(["4"], .global, "detail", "focus pane 4, Detail", .focus(.detail)),
        Binding(["5"], .global, "middleware", "focus pane 5, Middleware", .focus(.middleware)),
        Binding(["j", "<down>"], .global, "down", "move down", .move(1)),
        Binding(["k", "<up>"], .global, "up", "move up", .move(-1)),
        Binding(["g"], .global, "top", "gg: go to the top", .prefix("g")),
        Binding(["<home>"], .global, "top", "go to the top", .moveToTop),
        Binding(["G", "<end>"], .global, "bottom", "go to the bottom", .moveToBottom),
        Binding(["<pgdn>", "<ctrl+d>"], .global, "page down", "page down", .pageDown),
        Binding(["<pgup>", "<ctrl+u>"], .global, "page up", "page up", .pageUp),
        Binding(["<enter>"], .global, "drill in", "narrow to the selected namespace or socket; open a packet", .drillIn),
        Binding(["<esc>"], .global, "back", "one step back: close, un-narrow, clear the filter", .back),
        Binding(["/"], .global, "filter", "filter packets (nsp:/admin type:event dir:in ev:chat* !type:ping text)",
                bar: true, .beginInput(.filter)),
        Binding([":"], .global, "cmd", "type a command (see Commands below)", bar: true, .beginInput(.command)),
        Binding(["i"], .global, "emit", "emit an event: [to TARGET] EVENT [JSON args] [--ack]", bar: true, .beginInput(.emit)),
        Binding(["p"], .global, "pause", "pause or resume capture", .togglePause),
        Binding(["f"], .global, "maximise", "maximise or restore the focused pane", .toggleMaximize),
        Binding(["T"], .global, "theme", "next theme", .nextTheme),
        // Panes.
        Binding(["s"], .pane(.packets), "follow", "follow new packets on or off", bar: true, .toggleFollow),
        Binding(["C"], .pane(.packets), "clear", "clear the captured trace", .clearPackets),
        Binding(["r"], .pane(.middleware), "reject", "force the selected middleware to reject, or back to its rule",
                bar: true, .toggleRejectSelected),
        Binding(["r"], .pane(.namespaces), "reject", "toggle forced reject on the namespace's first middleware",
                bar: true, .toggleRejectSelected),
        Binding(["c"], .pane(.namespaces), "spawn client", "connect a simulated client to the selected namespace",
                bar: true, .spawnIntoSelected),
        Binding(["c"], .pane(.sockets), "spawn client", "connect another simulated client to this socket's namespace",
                bar: true, .spawnIntoSelected),
        Binding(["x"], .pane(.sockets), "disconnect", "disconnect the selected socket or simulated client",
                bar: true, .disconnectSelected),
        // Help overlay.
        Binding(["<space>"], .tour, "run step", "tour: run the step's commands; the packets they produce are marked", bar: true, .tourRun),
        Binding(["n"], .tour, "next step", "tour: the next step", bar: true, .tourMove(1)),
        Binding(["p"], .tour, "prev step", "tour: the step before (p pauses again once the tour is off)", .tourMove(-1)),
        Binding(["a"], .tour, "answer", "tour: answer the step's question", bar: true, .beginInput(.answer)),

        Binding(["<esc>", "?", "q"], .help, "close", "close the help", .closeHelp),
        Binding(["j", "<down>"], .help, "down", "scroll the help", .move(1)),
        Binding(["k", "<up>"], .help, "up", "scroll the help back", .move(-1)),
        Binding(["<pgdn>", "<ctrl+d>", "<space>"], .help, "page down", "page the help", .pageDown),
        Binding(["<pgup>", "<ctrl+u>"], .help, "page up", "page the help back", .pageUp),
        Binding(["g", "<home>"], .help, "top", "back to the top of the help", .moveToTop),
        // The bottom line.
        Binding(["<enter>"], .input, "submit", "run the command, send the emit, keep the filter", .inputSubmit),
        Binding(["<esc>"], .input, "cancel", "leave the line", .inputCancel),
        Binding(["<backspace>"], .input, "delete", "delete before the cursor", .inputBackspace),
        Binding(["<del>"], .input, "delete", "delete at the cursor", .inputDelete),
        Binding(["<left>"], .input, "left", "cursor left", .inputCursor(-1)),
        Binding(["<right>"], .input, "right", "cursor right", .inputCursor(1)),
        Binding(["<home>", "<ctrl+a>"], .input, "start", "cursor to the start", .inputHome),
        Binding(["<end>", "<ctrl+e>"], .input, "end", "cursor to the end", .inputEnd),
        Binding(["<up>"], .input, "history", "previous line from history", .inputHistory(-1)),
        Binding(["<down>"], .input, "history", "next line from history", .inputHistory(1)),
        Binding(["<ctrl+c>"], .input, "cancel", "leave the line", .inputCancel),
    ]

    /// The action a key means in this state, or nil.
    public static func resolve(_ key: KeyEvent, in state: AppState) -> Action? {
        if let b = binding(for: key, scope: .always) { return b.action(state) }
        switch state.mode {
        case .help:
            return binding(for: key, scope: .help)?.action(state)
        case .input:
            if let b = binding(for: key, scope: .input) { return b.action(state) }
            if let c = key.printable { return .inputInsert(c) }
            return nil
        case .normal:
            if state.tour != nil, let b = binding(for: key, scope: .tour) { return b.action(state) }
            if let b = binding(for: key, scope: .pane(state.focus)) { return b.action(state) }
            return binding(for: key, scope: .global)?.action(state)
        }
    }

    static func binding(for key: KeyEvent, scope: Binding.Scope) -> Binding? {
        bindings.first { $0.scope == scope && $0.keys.contains(key) }
    }

    /// The hints for the status bar: the focused pane's first, then the global ones.
    public static func barHints(for state: AppState) -> [(String, String)] {
        switch state.mode {
        case .help: return [("esc", "close"), ("j/k", "scroll")]
        case .input: return [("enter", "submit"), ("esc", "cancel"), ("↑", "history")]
        case .normal:
            let tour = state.tour == nil ? [] : bindings.filter { $0.scope == .tour && $0.showInBar }
            let pane = bindings.filter { $0.scope == .pane(state.focus) && $0.showInBar }
            let global = bindings.filter { $0.scope == .global && $0.showInBar }
            return (tour + pane + global).map { ($0.keys[0].description, $0.title) }
        }
    }
}
