import ConsoleModel
import TermUI

/// `?`: every key and command, generated from the key table, over the panes.
enum HelpOverlay {
    static func lines() -> [(key: String, text: String)] {
        var out: [(String, String)] = [("", "Keys (everywhere)")]
        for b in Keymap.bindings where b.scope == .always || b.scope == .global { out.append((b.keyLabel, b.help)) }
        for pane in Pane.allCases {
            let own = Keymap.bindings.filter { $0.scope == .pane(pane) }
            guard !own.isEmpty else { continue }
            out.append(("", "In \(pane.rawValue) \(pane.title)"))
            for b in own { out.append((b.keyLabel, b.help)) }
        }
        out.append(("", "In the guided tour (sioscope tour, :tour)"))
        for b in Keymap.bindings where b.scope == .tour { out.append((b.keyLabel, b.help)) }
        out.append(("", "On the bottom line (/ : i)"))
        for b in Keymap.bindings where b.scope == .input { out.append((b.keyLabel, b.help)) }
        out.append(("", "Commands (:)"))
        for (usage, meaning) in CommandParser.help { out.append((":" + usage, meaning)) }
        return out
    }

    static func render(into buffer: inout CellBuffer, area: Rect, scroll: Int, context: RenderContext) {
        let width = min(area.width - 2, 110)
        let height = area.height - 2
        guard width >= 20, height >= 4 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + 1, width: width, height: height)
        let inner = Box(title: "Help", note: "esc closes", focused: true).render(into: &buffer, area: box, glyphs: context.glyphs)
        buffer.fill(inner, role: .overlay)
        let keyWidth = min(22, inner.width / 3)
        // Lay every entry out as screen rows first, so scrolling counts rows, not entries.
        var rows: [(key: String, text: String, isHeader: Bool)] = []
        for line in lines() {
            if line.key.isEmpty {
                rows.append(("", line.text, true))
            } else if DisplayWidth.of(line.key) > keyWidth {
                rows.append((" " + line.key, "", false))
                rows.append((String(repeating: " ", count: keyWidth + 2), line.text, false))
            } else {
                rows.append((" " + TextLayout.padded(line.key, to: keyWidth) + " ", line.text, false))
            }
        }
        let top = min(scroll, max(0, rows.count - inner.height))
        for (i, row) in rows.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + i
            if row.isHeader {
                buffer.put(row.text, x: inner.x, y: y, role: .header, limit: inner.maxX)
            } else {
                let x = buffer.put(row.key, x: inner.x, y: y, role: .overlayKey, limit: inner.maxX)
                buffer.put(row.text, x: x, y: y, role: .overlay, limit: inner.maxX)
            }
        }
    }
}
