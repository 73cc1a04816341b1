/// What the console needs of a terminal: its size and abilities, keys, and whole frames to show.
/// The ncurses session is one; tests use a scripted one that records the frames.
public protocol TerminalDevice: AnyObject {
    var utf8: Bool { get }
    var depth: ColorDepth { get }
    var size: Size { get }
    /// The next key, or nil when none came within the timeout.
    func readKey(timeoutMilliseconds: Int32) -> KeyEvent?
    /// Forget what is on screen, so the next frame is drawn in full (Ctrl-L, resize).
    func invalidate()
    func present(_ buffer: CellBuffer, theme: ResolvedTheme, cursor: (x: Int, y: Int)?)
    /// Give the terminal back as it was.
    func stop()
    /// Give the terminal back, stop the process until the shell continues it, then take it again.
    func suspend()
}
