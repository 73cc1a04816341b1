import ConsoleModel
import TermUI

/// The input line (a filter, command or emit being typed, checked as it is typed; otherwise the
/// latest message) and the status bar (state, then the focused pane's keys).
enum BottomLines {
    static func renderInput(_ state: AppState, into buffer: inout CellBuffer, area: Rect, context: RenderContext) -> (x: Int, y: Int)? {
        guard !area.isEmpty else { return nil }
        buffer.fill(area, role: .base)
        guard case .input(let kind) = state.mode else {
            if let message = state.status {
                buffer.put(" " + message.text, x: area.x, y: area.y, role: message.isError ? .statusError : .statusOK, limit: area.maxX)
            }
            return nil
        }
        let (valid, problem) = InputCheck.check(state.input.text, kind: kind)
        let role: Role = state.input.text.isEmpty ? .inputEmpty : (valid ? .inputValid : .inputInvalid)
        let verdict = state.input.text.isEmpty ? "" : (valid ? "ok" : problem)
        let verdictWidth = min(DisplayWidth.of(verdict), area.width / 2)
        let textLimit = area.maxX - verdictWidth - 1
        let prompt = kind == .command ? " :" : " " + kind.label + context.glyphs.prompt + " "
        var x = buffer.put(prompt, x: area.x, y: area.y, role: .base, limit: textLimit)
        // Keep the cursor on screen for long lines: show the tail.
        let room = max(1, textLimit - x - 1)
        let chars = Array(state.input.text)
        let start = max(0, state.input.cursor - room + 1)
        let shown = String(chars[min(start, chars.count)...].prefix(room))
        let cursorX = x + DisplayWidth.of(String(chars[min(start, chars.count)..<min(state.input.cursor, chars.count)]))
        x = buffer.put(shown, x: x, y: area.y, role: role, limit: textLimit)
        if !verdict.isEmpty {
            buffer.put(TextLayout.truncated(verdict, to: verdictWidth), x: area.maxX - verdictWidth, y: area.y,
                       role: valid ? .inputValid : .inputInvalid)
        }
        return (cursorX, area.y)
    }

    static func renderStatus(_ state: AppState, into buffer: inout CellBuffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        buffer.fill(area, role: .statusBar)
        let servers = state.snapshot.sockets.filter { $0.side == .server && $0.state == .connected }.count
        let clients = state.snapshot.sockets.filter { $0.side == .client }.count
        var parts = state.hasServer ? [" \(state.endpoint) \(context.glyphs.bullet) \(servers) sockets", "\(clients) sim"]
                                    : [" \(state.endpoint) \(context.glyphs.bullet) \(clients) clients"]
        parts.append("\(state.packetRate) pkt/s")
        parts.append(state.paused ? "PAUSED" : (state.follow ? "FOLLOW" : "SCROLL"))
        if state.queueDropped > 0 { parts.append("dropped \(state.queueDropped)") }
        parts.append(state.themeName)
        let bar = " \(context.glyphs.vertical) "
        var x = buffer.put(parts.joined(separator: bar) + " \(context.glyphs.vertical)", x: area.x, y: area.y, role: .statusBar, limit: area.maxX)
        for (key, title) in Keymap.barHints(for: state) {
            guard x + key.count + title.count + 2 < area.maxX else { break }
            x = buffer.put(" " + key, x: x, y: area.y, role: .statusKey, limit: area.maxX)
            x = buffer.put(":" + title, x: x, y: area.y, role: .statusBar, limit: area.maxX)
        }
    }
}

/// Live validation of the bottom line.
public enum InputCheck {
    /// Whether the text would be accepted, and if not, why.
    public static func check(_ text: String, kind: InputKind) -> (Bool, String) {
        switch kind {
        case .filter:
            do { _ = try PacketFilter.parse(text); return (true, "") } catch { return (false, error.message) }
        case .command:
            do { _ = try CommandParser.parse(text); return (true, "") } catch { return (false, error.message) }
        case .emit:
            do { _ = try CommandParser.parse("emit " + text); return (true, "") } catch { return (false, error.message) }
        case .answer:
            return (true, "")
        }
    }
}
