import ArgumentParser
import ConsoleModel
import ConsoleUI
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import TermUI
import TerminalNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The UI thread: the only one that touches curses. It reads keys with a short timeout, drains the
/// trace queue and effect results into the state, refreshes the snapshot a few times a second,
/// and redraws at most 30 times a second, only when something changed.
final class ConsoleLoop: @unchecked Sendable {
    enum Outcome: Sendable {
        case finished(String)
        case failed(String)

        /// Prints the farewell, or fails the command with the reason.
        func finish() throws {
            switch self {
            case .finished(let summary): print(summary)
            case .failed(let message): throw ValidationError(message)
            }
        }
    }

    private var state: AppState
    private let themes: [String: Theme]
    private let environment: [String: String]
    private let logFile: String?
    private let queue: TraceQueue
    private let inbox: ActionInbox
    private let reader: SnapshotReader
    private let runner: EffectRunner
    private let stopRequested = NIOLockedValueBox<Int32?>(nil)

    init(state: AppState, themes: [String: Theme], environment: [String: String], logFile: String?, queue: TraceQueue,
         inbox: ActionInbox, reader: SnapshotReader, runner: EffectRunner) {
        self.state = state
        self.themes = themes
        self.environment = environment
        self.logFile = logFile
        self.queue = queue
        self.inbox = inbox
        self.reader = reader
        self.runner = runner
    }

    func runOnOwnThread() async -> Outcome {
        let signals = watchTerminationSignals()
        defer { signals.forEach { $0.cancel() } }
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run()) }
            thread.name = "sioscope-ui"
            thread.start()
        }
    }

    /// SIGTERM, SIGHUP and SIGINT end the loop the same way `q` does, so the terminal is restored.
    private func watchTerminationSignals() -> [any DispatchSourceSignal] {
        [SIGTERM, SIGHUP, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [stopRequested] in stopRequested.withLockedValue { $0 = number } }
            source.resume()
            return source
        }
    }

    private func run() -> Outcome {
        let session: TerminalSession
        do {
            session = try TerminalSession(environment: environment, logPath: logFile)
        } catch {
            return .failed(error.description)
        }
        let glyphs: Glyphs = session.utf8 ? .unicode : .ascii
        let offset = Self.utcOffset()
        var lastSnapshot = 0.0
        var lastDraw = 0.0
        var dirty = true
        while !state.quitting {
            if let number = stopRequested.withLockedValue({ $0 }) {
                apply(.report(StatusMessage("signal \(number): quitting")))
                apply(.quit)
                break
            }
            if let key = session.readKey(timeoutMilliseconds: 15) {
                switch key {
                case .special(.resize), .ctrl("l"):
                    session.invalidate()
                default:
                    if let action = Keymap.resolve(key, in: state) { apply(action) }
                }
                dirty = true
            }
            let now = Date().timeIntervalSince1970
            let (events, dropped) = queue.drain()
            if !events.isEmpty {
                apply(.trace(events, time: now))
                dirty = true
            }
            if dropped != state.queueDropped { apply(.queueDropped(total: dropped)) }
            for action in inbox.drain() {
                apply(action)
                dirty = true
            }
            if now - lastSnapshot >= 0.25 {
                lastSnapshot = now
                let snapshot = reader.read()
                if snapshot != state.snapshot { apply(.snapshot(snapshot)); dirty = true }
                let rate = state.packetRate
                apply(.tick(now: now))
                if rate != state.packetRate { dirty = true }
            }
            if dirty, now - lastDraw >= 1.0 / 30 {
                let context = RenderContext(glyphs: glyphs, utcOffset: offset, now: now)
                let frame = Screen.render(state, size: session.size, context: context)
                let theme = (themes[state.themeName] ?? .fallback).resolved(depth: session.depth)
                session.present(frame.buffer, theme: theme, cursor: frame.cursor)
                lastDraw = now
                dirty = false
            }
        }
        session.stop()
        return .finished("sioscope: bye (\(state.packets.count + state.packets.dropped) packets seen)")
    }

    private func apply(_ action: Action) {
        for effect in Reducer.reduce(&state, action) { runner.perform(effect) }
    }

    static func utcOffset() -> Int {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return parts.tm_gmtoff
    }
}
