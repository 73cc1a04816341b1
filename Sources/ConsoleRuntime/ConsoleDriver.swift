import ConsoleModel
import ConsoleUI
import Foundation
import TermUI

/// Seconds since 1970, as the console reads the time: the wall clock, or a test's own.
public protocol ConsoleClock: Sendable {
    func now() -> Double
}

public struct WallClock: ConsoleClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// The console's loop, one turn at a time, on any `TerminalDevice`: a key in, the trace and the
/// effects' outcomes drained into the state (the panes follow the trace), the cores' tables read
/// whole as a reconciliation every `reconcileInterval` seconds and whenever the trace queue had to
/// drop events, and a frame drawn at most 30 times a second when something changed. The
/// executable turns it on its UI thread with the ncurses terminal; tests turn it with a scripted
/// terminal and their own clock.
public final class ConsoleDriver {
    public private(set) var state: AppState
    private let themes: [String: Theme]
    private let queue: TraceQueue
    private let inbox: ActionInbox
    private let reader: SnapshotReader
    private let runner: EffectRunner
    private let clock: any ConsoleClock
    private let utcOffset: Int
    private let reconcileInterval: Double
    private var lastReconcile = -Double.infinity
    private var lastTick = 0.0
    private var lastDraw = 0.0
    private var dirty = true
    /// Redraws and suspends the reducer asked for, for the terminal of the next step.
    private var terminalEffects: [Effect] = []

    public init(state: AppState, themes: [String: Theme], queue: TraceQueue, inbox: ActionInbox, reader: SnapshotReader,
                runner: EffectRunner, clock: any ConsoleClock = WallClock(), utcOffset: Int = 0, reconcileInterval: Double = 2) {
        self.state = state
        self.themes = themes
        self.queue = queue
        self.inbox = inbox
        self.reader = reader
        self.runner = runner
        self.clock = clock
        self.utcOffset = utcOffset
        self.reconcileInterval = reconcileInterval
    }

    /// One turn of the loop. False once the console is quitting.
    @discardableResult
    public func step(on device: any TerminalDevice, keyTimeoutMilliseconds: Int32 = 15) -> Bool {
        guard !state.quitting else { return false }
        if let key = device.readKey(timeoutMilliseconds: keyTimeoutMilliseconds) {
            if let action = Keymap.resolve(key, in: state) { apply(action) }
            dirty = true
        }
        for effect in terminalEffects {
            if effect == .suspend { device.suspend() }
            device.invalidate()
        }
        terminalEffects = []
        let now = clock.now()
        let (events, dropped) = queue.drain()
        if !events.isEmpty {
            apply(.trace(events, time: now))
            dirty = true
        }
        var lostEvents = false
        if dropped != state.queueDropped {
            apply(.queueDropped(total: dropped))
            lostEvents = true
        }
        for action in inbox.drain() {
            apply(action)
            dirty = true
        }
        if lostEvents || now - lastReconcile >= reconcileInterval {
            lastReconcile = now
            let snapshot = reader.read()
            if snapshot != state.snapshot { apply(.snapshot(snapshot)); dirty = true }
        }
        if now - lastTick >= 0.25 {
            lastTick = now
            let rate = state.packetRate
            apply(.tick(now: now))
            if rate != state.packetRate { dirty = true }
        }
        if dirty, now - lastDraw >= 1.0 / 30 {
            draw(on: device, now: now)
        }
        return !state.quitting
    }

    /// Draws the current state now, whatever the cadence.
    public func draw(on device: any TerminalDevice, now: Double? = nil) {
        let time = now ?? clock.now()
        let context = RenderContext(glyphs: device.utf8 ? .unicode : .ascii, utcOffset: utcOffset, now: time)
        let frame = Screen.render(state, size: device.size, context: context)
        let theme = (themes[state.themeName] ?? .fallback).resolved(depth: device.depth)
        device.present(frame.buffer, theme: theme, cursor: frame.cursor)
        lastDraw = time
        dirty = false
    }

    /// Applies an action as a key would, effects and all (a signal's quit, a test's setup).
    public func apply(_ action: Action) {
        for effect in Reducer.reduce(&state, action) {
            switch effect {
            case .redraw, .suspend: terminalEffects.append(effect)
            default: runner.perform(effect)
            }
        }
    }

    /// What the executable prints when the console ends.
    public var farewell: String {
        "sioscope: bye (\(state.packets.count + state.packets.dropped) packets seen)"
    }
}
