/// A bordered pane with a title in its top edge and an optional note at the right of it
/// (`┌3 Packets──── follow ● 1,204┐`).
public struct Box: Sendable {
    public var title: String
    public var note: String
    public var focused: Bool

    public init(title: String, note: String = "", focused: Bool) {
        self.title = title
        self.note = note
        self.focused = focused
    }

    /// Draws the border and title; returns the inner area.
    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect, glyphs: Glyphs) -> Rect {
        guard area.width >= 2, area.height >= 2 else {
            buffer.fill(area, role: .base)
            return .zero
        }
        let border: Role = focused ? .paneBorderFocused : .paneBorder
        let titleRole: Role = focused ? .paneTitleFocused : .paneTitle
        for x in area.x..<area.maxX {
            buffer[x, area.y] = Cell(glyphs.horizontal, role: border)
            buffer[x, area.maxY - 1] = Cell(glyphs.horizontal, role: border)
        }
        for y in area.y..<area.maxY {
            buffer[area.x, y] = Cell(glyphs.vertical, role: border)
            buffer[area.maxX - 1, y] = Cell(glyphs.vertical, role: border)
        }
        buffer[area.x, area.y] = Cell(glyphs.topLeft, role: border)
        buffer[area.maxX - 1, area.y] = Cell(glyphs.topRight, role: border)
        buffer[area.x, area.maxY - 1] = Cell(glyphs.bottomLeft, role: border)
        buffer[area.maxX - 1, area.maxY - 1] = Cell(glyphs.bottomRight, role: border)
        let limit = area.maxX - 1
        let afterTitle = buffer.put(TextLayout.truncated(title, to: area.width - 2), x: area.x + 1, y: area.y,
                                    role: titleRole, limit: limit)
        if !note.isEmpty {
            let room = limit - afterTitle - 2
            if room >= 3 {
                let shown = TextLayout.truncated(note, to: room)
                buffer.put(" " + shown + " ", x: limit - DisplayWidth.of(shown) - 2, y: area.y, role: titleRole, limit: limit)
            }
        }
        let inner = area.inner
        buffer.fill(inner, role: .base)
        return inner
    }
}
