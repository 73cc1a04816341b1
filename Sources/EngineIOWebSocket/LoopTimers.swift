import NIOConcurrencyHelpers
import NIOCore

/// Timers for the many connections of one event loop: heartbeats, handshake and connect deadlines.
///
/// NIO's `scheduleTask` keeps one heap for the loop and cancels by searching all of it, so with
/// thousands of sessions, each setting and cancelling a few timers per ping and per connection,
/// the loop spent most of its timer time scanning. Here the timers of one duration share a queue:
/// set one after another, they also fall due one after another, so setting is an append,
/// cancelling only clears the timer, and one NIO task (for the earliest) serves the whole queue.
/// Timers due within a small slack of each other fire together, up to that slack late (a 64th of
/// the duration, at most 10 ms), never early.
///
/// Confined to its loop: `schedule` and `cancel` must be called on it, as the owners (sessions,
/// connection handlers, clients) already do for their timers. Holds the loop, not weakly: see
/// `LoopTimersTable`.
public final class LoopTimers: @unchecked Sendable {
    private let loop: any EventLoop
    private var queues: [Int64: TimerQueue] = [:]

    /// Timers for connections on `loop`; share one per loop (`LoopTimersTable`) so that timers of
    /// one duration share a queue.
    public init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Runs `action` on the loop once `delay` has passed, unless the returned timer is cancelled first.
    @discardableResult
    public func schedule(in delay: TimeAmount, _ action: @escaping () -> Void) -> LoopTimer {
        loop.assertInEventLoop()
        let delay = max(delay, .zero)
        let queue: TimerQueue
        if let existing = queues[delay.nanoseconds] {
            queue = existing
        } else {
            queue = TimerQueue(loop: loop, delay: delay)
            queues[delay.nanoseconds] = queue
        }
        return queue.add(action)
    }

    /// Timers held in the queues, cancelled ones not yet dropped included (what they cost in memory).
    var heldCount: Int { queues.values.reduce(0) { $0 + $1.count } }
}

/// The `LoopTimers` of each loop an owner (a server, a listener) runs connections on, kept as long
/// as the owner. (Not a global table: it would have to forget loops that are gone, and a weak
/// reference to a loop gives it a side table, which sends every retain and release of the loop,
/// thousands per second, down the runtime's slow path: a 15% cost per message when it was tried.)
public final class LoopTimersTable: Sendable {
    private let table = NIOLockedValueBox<[ObjectIdentifier: LoopTimers]>([:])

    public init() {}

    /// The loop's timers, made on first use. They hold the loop, so its identifier stays its own.
    public func timers(for loop: any EventLoop) -> LoopTimers {
        table.withLockedValue { table in
            if let timers = table[ObjectIdentifier(loop)] { return timers }
            let timers = LoopTimers(loop: loop)
            table[ObjectIdentifier(loop)] = timers
            return timers
        }
    }
}

/// One timer of `LoopTimers`; `cancel()` (on the loop) stops it if it has not fired yet.
public final class LoopTimer {
    let deadline: NIODeadline
    fileprivate var action: (() -> Void)?
    private let queue: TimerQueue

    fileprivate init(deadline: NIODeadline, action: @escaping () -> Void, queue: TimerQueue) {
        self.deadline = deadline
        self.action = action
        self.queue = queue
    }

    /// Whether the timer still waits: neither fired nor cancelled.
    public var isPending: Bool { action != nil }

    public func cancel() {
        guard action != nil else { return }
        action = nil   // releases what the action holds now, not when the deadline passes
        queue.didCancel()
    }
}

/// The timers of one duration on one loop, in the order they fall due.
private final class TimerQueue: @unchecked Sendable {
    let loop: any EventLoop
    let delay: TimeAmount
    let slack: TimeAmount
    private var timers = CircularBuffer<LoopTimer>()
    private var cancelled = 0
    var count: Int { timers.count }
    /// An NIO task is scheduled for the earliest timer, or the queue is firing.
    private var armed = false

    init(loop: any EventLoop, delay: TimeAmount) {
        self.loop = loop
        self.delay = delay
        slack = .nanoseconds(min(delay.nanoseconds / 64, 10_000_000))
    }

    func add(_ action: @escaping () -> Void) -> LoopTimer {
        let timer = LoopTimer(deadline: loop.now + delay, action: action, queue: self)
        timers.append(timer)
        arm()
        return timer
    }

    func didCancel() {
        cancelled += 1
        // Cancelled timers wait for their deadline to be dropped; when they are most of the
        // queue (many set and cancelled within one duration), drop them now to bound memory.
        if cancelled > 64 && cancelled * 2 > timers.count {
            timers.removeAll { $0.action == nil }
            cancelled = 0
        }
    }

    private func arm() {
        guard !armed, let first = timers.first else { return }
        armed = true
        loop.scheduleTask(deadline: first.deadline + slack) { [self] in fire() }
    }

    private func fire() {
        let now = loop.now
        while let first = timers.first, first.deadline <= now {
            timers.removeFirst()
            if let action = first.action {
                first.action = nil
                action()   // may set new timers: they go to the back, due later than now
            } else {
                cancelled -= 1
            }
        }
        armed = false
        arm()
    }
}
