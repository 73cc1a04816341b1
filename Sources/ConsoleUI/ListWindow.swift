/// Which rows of a list are on screen: the selected row is always visible.
enum ListWindow {
    static func range(count: Int, selected: Int, height: Int) -> Range<Int> {
        guard count > 0, height > 0 else { return 0..<0 }
        let top = selected < height ? 0 : selected - height + 1
        return top..<min(count, top + height)
    }
}
