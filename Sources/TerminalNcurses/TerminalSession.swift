import CNcurses
import TermUI
#if canImport(Glibc)
import Glibc
#endif

/// The terminal while the console runs: curses set up with wide characters, colours fitted to the
/// terminal, keys read with a timeout, frames drawn as differences. Only one thread may use it.
/// `stop()` restores the terminal; crash signals restore it too.
public final class TerminalSession {
    public let utf8: Bool
    public let depth: ColorDepth
    private var pairs: ColorPairs
    private var previous: CellBuffer?
    private var previousTheme: String?
    private var stderrCapture: StderrCapture?
    private var running = true

    /// Starts curses. `logPath` receives what is written to standard error while the screen is
    /// ours (so nothing stray lands on it); it is replayed to the terminal after `stop()`.
    public init(environment: [String: String], logPath: String?) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("the console needs a terminal (stdin and stdout are not a TTY); use `sioscope serve` for pipes")
        }
        setlocale(LC_ALL, "")
        utf8 = String(cString: cnc_codeset()).uppercased().replacingOccurrences("-", "") == "UTF8"
        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        CrashRestore.arm()
        stderrCapture = StderrCapture(path: logPath)
        guard initscr() != nil else {
            stderrCapture?.stop(replay: true)
            CrashRestore.disarm()
            throw TerminalError("curses could not start on TERM=\(environment["TERM"] ?? "(unset)")")
        }
        raw()
        noecho()
        nonl()
        keypad(cnc_stdscr(), true)
        curs_set(0)
        var colorful = false
        if has_colors() {
            start_color()
            use_default_colors()
            colorful = true
        }
        depth = colorful ? ColorDepth.detect(environment: environment, colors: Int(cnc_colors())) : .none
        pairs = ColorPairs(enabled: depth != .none)
    }

    public var size: Size { Size(width: Int(getmaxx(cnc_stdscr())), height: Int(getmaxy(cnc_stdscr()))) }

    /// Waits up to `milliseconds` for a key.
    public func readKey(timeoutMilliseconds: Int32) -> KeyEvent? {
        wtimeout(cnc_stdscr(), timeoutMilliseconds)
        var value: wint_t = 0
        let result = wget_wch(cnc_stdscr(), &value)
        if result == cnc_key_code_yes() { return KeyDecoder.functionKey(Int32(value)) }
        if result == OK { return KeyDecoder.character(UInt32(value)) }
        return nil
    }

    /// Forgets what is on screen, so the next frame is drawn in full (Ctrl-L, resize).
    public func invalidate() {
        previous = nil
    }

    /// Draws a frame: only the cells that changed since the last one.
    public func present(_ buffer: CellBuffer, theme: ResolvedTheme, cursor: (x: Int, y: Int)?) {
        if previous?.size != buffer.size || previousTheme != theme.theme.name {
            erase()
            pairs.reset()
            previous = nil
        }
        var styles: [Role: (attr_t, Int16)] = [:]
        for y in 0..<buffer.size.height {
            for x in 0..<buffer.size.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if let previous, previous[x, y] == cell { continue }
                let (attributes, pair) = styles[cell.role] ?? {
                    let style = theme.style(for: cell.role)
                    let made = (Self.attributes(style.attributes), pairs.pair(for: style))
                    styles[cell.role] = made
                    return made
                }()
                _ = cnc_put_cell(Int32(y), Int32(x), wideCharacter(cell), attributes, pair)
            }
        }
        previous = buffer
        previousTheme = theme.theme.name
        if let cursor {
            curs_set(1)
            wmove(cnc_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(cnc_stdscr())
        doupdate()
    }

    private func wideCharacter(_ cell: Cell) -> wchar_t {
        let scalar = cell.text.unicodeScalars.first ?? " "
        if !utf8, scalar.value > 0x7E { return wchar_t(UInt8(ascii: scalar == "…" ? "~" : "?")) }
        return wchar_t(bitPattern: scalar.value)
    }

    static func attributes(_ a: Attributes) -> attr_t {
        var out = cnc_a_normal()
        if a.contains(.bold) { out |= cnc_a_bold() }
        if a.contains(.dim) { out |= cnc_a_dim() }
        if a.contains(.underline) { out |= cnc_a_underline() }
        if a.contains(.reverse) { out |= cnc_a_reverse() }
        if a.contains(.italic) { out |= cnc_a_italic() }
        return out
    }

    /// Ends curses and gives the terminal back as it was. Safe to call twice.
    public func stop() {
        guard running else { return }
        running = false
        endwin()
        CrashRestore.disarm()
        stderrCapture?.stop(replay: true)
    }

    deinit { stop() }
}

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
extension TerminalSession: TerminalDevice {
    /// Ctrl-Z: the terminal as the shell left it, the process stopped as by the tty's own Ctrl-Z
    /// (raw mode delivers it as a key), and on `fg` the screen taken back and drawn in full.
    public func suspend() {
        endwin()
        // Stopped as the tty's own Ctrl-Z would: SIGTSTP with its default action, raised on this
        // thread (so it is taken before raise returns, not later on another thread once the old
        // disposition is back). This thread may have been started with signals blocked (threads
        // made from the task pool inherit its mask): a blocked stop signal would never act.
        let previous = signal(SIGTSTP, SIG_DFL)
        var stop = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGTSTP)
        var mask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &stop, &mask)
        raise(SIGTSTP)
        // Continued (`fg`): the mask and disposition as they were, the screen taken back.
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        signal(SIGTSTP, previous)
        refresh()
        invalidate()
    }
}
