import ConsoleModel
import TermUI

/// The whole screen for a state: AppState → CellBuffer. Pure: tests render any state at any size.
public enum Screen {
    public struct Frame: Sendable {
        public var buffer: CellBuffer
        /// Where the terminal cursor goes (on the bottom line while typing), or nil to hide it.
        public var cursor: (x: Int, y: Int)?
    }

    public static func render(_ state: AppState, size: Size, context: RenderContext) -> Frame {
        var buffer = CellBuffer(size: size)
        let layout = Layout.compute(size: size, maximized: state.maximized, focus: state.focus, lessonPanel: state.tour != nil)
        switch layout.form {
        case .tooSmall:
            let lines = ["terminal too small", "need \(Layout.singleMinimum.width)x\(Layout.singleMinimum.height),",
                         "have \(size.width)x\(size.height)", "q quits"]
            for (i, line) in lines.enumerated() where i < size.height {
                buffer.put(TextLayout.truncated(line, to: size.width), x: 0, y: i, role: i == 0 ? .traceError : .base)
            }
            return Frame(buffer: buffer, cursor: nil)
        case .single:
            renderTabs(state, into: &buffer, area: layout.tabs)
        case .full:
            break
        }
        for (pane, area) in layout.panes {
            renderPane(pane, state, into: &buffer, area: area, focused: pane == state.focus, context: context)
        }
        if let tour = state.tour, !layout.lesson.isEmpty {
            LessonPanel.render(tour, into: &buffer, area: layout.lesson, context: context)
        }
        if state.mode == .help {
            HelpOverlay.render(into: &buffer, area: Rect(x: 0, y: 0, width: size.width, height: size.height - 2), scroll: state.helpScroll,
                               context: context)
        }
        let cursor = BottomLines.renderInput(state, into: &buffer, area: layout.inputLine, context: context)
        BottomLines.renderStatus(state, into: &buffer, area: layout.statusBar, context: context)
        return Frame(buffer: buffer, cursor: cursor)
    }

    static func renderPane(_ pane: Pane, _ state: AppState, into buffer: inout CellBuffer, area: Rect, focused: Bool,
                           context: RenderContext) {
        switch pane {
        case .namespaces: NamespacesPane.render(state, into: &buffer, area: area, focused: focused, context: context)
        case .sockets: SocketsPane.render(state, into: &buffer, area: area, focused: focused, context: context)
        case .packets: PacketsPane.render(state, into: &buffer, area: area, focused: focused, context: context)
        case .detail: DetailPane.render(state, into: &buffer, area: area, focused: focused, context: context)
        case .middleware: MiddlewarePane.render(state, into: &buffer, area: area, focused: focused, context: context)
        }
    }

    /// `1 Namespaces  2 Sockets  [3 Packets]  …`: where the other panes went.
    static func renderTabs(_ state: AppState, into buffer: inout CellBuffer, area: Rect) {
        buffer.fill(area, role: .tab)
        var x = area.x
        for pane in Pane.allCases {
            let label = " \(pane.rawValue) \(pane.title) "
            x = buffer.put(label, x: x, y: area.y, role: pane == state.focus ? .tabActive : .tab, limit: area.maxX)
        }
    }
}
