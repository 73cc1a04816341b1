#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back when the process dies on a signal it cannot survive (a trap from a
/// failed precondition, a segfault): leaves the alternate screen, shows the cursor, resets colours
/// and restores the saved line settings, puts standard error back with what it captured (the
/// crash's message among it), then lets the signal do what it would have done. Only
/// async-signal-safe calls run inside the handler.
enum CrashRestore {
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var armed = false
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// Saves the terminal's settings as they are before curses changes them.
    static func arm() {
        guard tcgetattr(STDIN_FILENO, &savedTermios) == 0 else { return }
        armed = true
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                CrashRestore.restoreFromSignal()
                signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: UInt32(SA_RESETHAND))
            sigaction(number, &action, nil)
        }
    }

    static func disarm() {
        armed = false
        for number in signals { signal(number, SIG_DFL) }
    }

    static func restoreFromSignal() {
        guard armed else { return }
        // Leave the alternate screen, show the cursor, reset attributes, new line.
        let reset: StaticString = "\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n"
        _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios)
        StderrCapture.replayFromSignal()
    }
}
