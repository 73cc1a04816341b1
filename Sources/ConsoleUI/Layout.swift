import ConsoleModel
import TermUI

/// Where each pane goes for a terminal size.
public struct Layout: Sendable, Hashable {
    public enum Form: Sendable, Hashable {
        /// All five panes.
        case full
        /// One pane at a time, with a tab strip (narrow terminals, or `f`).
        case single
        /// Not even one pane fits: a note asking for a bigger terminal.
        case tooSmall
    }

    public static let fullMinimum = Size(width: 90, height: 20)
    public static let singleMinimum = Size(width: 40, height: 8)

    public var form: Form
    public var panes: [Pane: Rect]
    /// The tab strip in the single form.
    public var tabs: Rect
    public var inputLine: Rect
    public var statusBar: Rect
    /// The guided tour's lesson panel, when the tour is open: a column on the left, or the top of
    /// the body on a terminal too narrow for the panes beside it.
    public var lesson: Rect = .zero

    public static func compute(size: Size, maximized: Bool, focus: Pane, lessonPanel: Bool = false) -> Layout {
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        if size.width < singleMinimum.width || size.height < singleMinimum.height {
            return Layout(form: .tooSmall, panes: [:], tabs: .zero, inputLine: .zero, statusBar: .zero)
        }
        var (body, bottom) = screen.splitRows(topHeight: size.height - 2)
        let inputLine = bottom.row(0)
        let statusBar = bottom.row(1)
        var lesson = Rect.zero
        if lessonPanel {
            let width = min(52, max(34, size.width / 3))
            if size.width - width >= fullMinimum.width {
                (lesson, body) = body.splitColumns(leftWidth: width)
            } else {
                (lesson, body) = body.splitRows(topHeight: max(6, body.height * 2 / 5))
            }
        }
        var layout = arrange(body, maximized: maximized, focus: focus)
        layout.inputLine = inputLine
        layout.statusBar = statusBar
        layout.lesson = lesson
        return layout
    }

    /// The five panes in `body`: all of them, or the focused one with a tab strip.
    static func arrange(_ body: Rect, maximized: Bool, focus: Pane) -> Layout {
        if maximized || body.width < fullMinimum.width || body.height < fullMinimum.height - 2 {
            let (tabs, pane) = body.splitRows(topHeight: 1)
            return Layout(form: .single, panes: [focus: pane], tabs: tabs, inputLine: .zero, statusBar: .zero)
        }
        let leftWidth = min(36, max(26, body.width / 4))
        let (left, right) = body.splitColumns(leftWidth: leftWidth)
        let (namespaces, sockets) = left.splitRows(topHeight: left.height * 2 / 5)
        let (packets, lower) = right.splitRows(topHeight: right.height * 11 / 20)
        let (detail, middleware) = lower.splitColumns(leftWidth: lower.width * 3 / 5)
        return Layout(form: .full,
                      panes: [.namespaces: namespaces, .sockets: sockets, .packets: packets, .detail: detail, .middleware: middleware],
                      tabs: .zero, inputLine: .zero, statusBar: .zero)
    }
}

/// What the renderer needs besides the state: glyphs for the locale, and the clock for times and ages.
public struct RenderContext: Sendable {
    public var glyphs: Glyphs
    /// Seconds east of UTC, for wall-clock times.
    public var utcOffset: Int
    public var now: Double

    public init(glyphs: Glyphs = .unicode, utcOffset: Int = 0, now: Double = 0) {
        self.glyphs = glyphs
        self.utcOffset = utcOffset
        self.now = now
    }

    func clock(_ time: Double) -> String {
        let seconds = (Int(time) + utcOffset) % 86_400
        let s = seconds < 0 ? seconds + 86_400 : seconds
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }

    func age(since time: Double) -> String {
        let s = max(0, Int(now - time))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        return "\(s / 3600)h"
    }
}
