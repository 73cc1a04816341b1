import ConsoleModel
import TermUI

/// Pane 5: the middleware (selectable, with what is forced now), then the latest decisions.
enum MiddlewarePane {
    static func render(_ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool, context: RenderContext) {
        let rows = state.middlewareRows
        let inner = Box(title: "5 Middleware", note: "\(state.decisions.count) decisions", focused: focused)
            .render(into: &buffer, area: area, glyphs: context.glyphs)
        guard !inner.isEmpty else { return }
        var y = inner.y
        let selected = min(state.selection[.middleware] ?? 0, max(0, rows.count - 1))
        let listHeight = min(rows.count, max(1, inner.height / 2))
        if rows.isEmpty {
            buffer.put("no middleware", x: inner.x, y: y, role: .dim, limit: inner.maxX)
            y += 1
        } else {
            let list = Rect(x: inner.x, y: inner.y, width: inner.width, height: listHeight)
            y += ListWindow.draw(count: rows.count, selected: selected, in: list, focused: focused, into: &buffer) { index, y, buffer in
                let row = rows[index]
                let state = row.info.forced == nil ? "[ rule ]" : "[" + forcedText(row.info.forced) + "]"
                let x = buffer.put(TextLayout.padded(row.scope.name, to: 10) + " " + TextLayout.padded(row.info.name, to: 8) + " ",
                                   x: inner.x, y: y, role: .base, limit: inner.maxX)
                buffer.put(state, x: x, y: y, role: row.info.forced == nil ? .toggleOff : .toggleOn, limit: inner.maxX)
            }
        }
        guard y < inner.maxY else { return }
        buffer.put(String(repeating: context.glyphs.horizontal, count: inner.width), x: inner.x, y: y, role: .paneBorder, limit: inner.maxX)
        y += 1
        let decisions = state.decisions
        var i = decisions.count - 1
        while y < inner.maxY, i >= 0 {
            let d = decisions[i].decision
            let verdict: String
            let role: Role
            switch d.verdict {
            case .allow:
                verdict = context.glyphs.check
                role = .allow
            case .reject(let message, let data):
                verdict = context.glyphs.cross + " " + message + (data.map { " " + $0.jsonText } ?? "")
                role = .reject
            }
            let ms = d.durationSeconds * 1000
            let duration = ms < 10 ? String(Double(Int(ms * 10)) / 10) : String(Int(ms))
            let text = "\(context.clock(decisions[i].time)) \(d.namespace) \(d.middleware)\(d.forced ? " forced" : "") \(verdict) \(duration) ms \(d.socketID)"
            buffer.put(TextLayout.truncated(text, to: inner.width), x: inner.x, y: y, role: role, limit: inner.maxX)
            y += 1
            i -= 1
        }
    }

    static func forcedText(_ forced: ForcedVerdict?) -> String {
        switch forced {
        case nil: return "its own rule"
        case .reject(let message, let data)?: return "REJECT \"\(message)\"" + (data.map { " " + $0.jsonText } ?? "")
        case .delay(let ms)?: return "DELAY \(ms) ms"
        }
    }
}
