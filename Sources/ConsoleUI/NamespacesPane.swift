import ConsoleModel
import TermUI

/// Pane 1: static namespaces, then regex/predicate parents with their live children.
enum NamespacesPane {
    static func render(_ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool, context: RenderContext) {
        let rows = state.namespaceRows
        let forced = rows.reduce(0) { $0 + $1.forcedCount }
        let note = forced > 0 ? "\(forced) forced" : ""
        let inner = Box(title: "1 Namespaces", note: note, focused: focused).render(into: &buffer, area: area, glyphs: context.glyphs)
        guard !inner.isEmpty else { return }
        if rows.isEmpty {
            buffer.put("no namespaces yet", x: inner.x + 1, y: inner.y, role: .dim, limit: inner.maxX)
            return
        }
        let selected = min(state.selection[.namespaces] ?? 0, rows.count - 1)
        ListWindow.draw(count: rows.count, selected: selected, in: inner, focused: focused, into: &buffer) { index, y, buffer in
            let row = rows[index]
            let marker: String
            switch row.kind {
            case .plain: marker = "  "
            case .parent: marker = String(context.glyphs.expanded) + " "
            case .child: marker = "   "
            }
            let countText = row.kind == .parent ? "parent \(row.socketCount)" : "\(row.socketCount)"
            let flag = row.forcedCount > 0 ? " REJ" : ""
            let nameWidth = inner.width - DisplayWidth.of(marker) - countText.count - flag.count - 2
            var x = buffer.put(marker, x: inner.x, y: y, role: .base, limit: inner.maxX)
            x = buffer.put(TextLayout.padded(row.name, to: max(1, nameWidth)), x: x, y: y,
                           role: row.kind == .parent ? .dim : .base, limit: inner.maxX)
            x = buffer.put(" " + countText, x: x, y: y, role: .dim, limit: inner.maxX)
            if !flag.isEmpty { buffer.put(flag, x: x, y: y, role: .toggleOn, limit: inner.maxX) }
        }
    }
}
