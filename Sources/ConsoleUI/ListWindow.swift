import TermUI

/// Which rows of a list are on screen: the selected row is always visible.
enum ListWindow {
    static func range(count: Int, selected: Int, height: Int) -> Range<Int> {
        guard count > 0, height > 0 else { return 0..<0 }
        let top = selected < height ? 0 : selected - height + 1
        return top..<min(count, top + height)
    }

    /// Draws the rows of a list that fit in `area`, one per line, and highlights the selected one
    /// (brighter in the focused pane). Returns how many lines were drawn.
    @discardableResult
    static func draw(count: Int, selected: Int, in area: Rect, focused: Bool, into buffer: inout CellBuffer,
                     row: (_ index: Int, _ y: Int, _ buffer: inout CellBuffer) -> Void) -> Int {
        let window = range(count: count, selected: selected, height: area.height)
        for (line, index) in window.enumerated() {
            row(index, area.y + line, &buffer)
            if index == selected { buffer.restyle(area.row(line), role: focused ? .rowSelected : .rowSelectedUnfocused) }
        }
        return window.count
    }
}
