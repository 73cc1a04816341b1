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
/// connection handlers, clients) already do for their timers.
public final class LoopTimers: @unchecked Sendable {
    private let loop: any EventLoop
    private var queues: [Int64: TimerQueue] = [:]

    private init(loop: any EventLoop) {
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

    /// The timers of `loop`, made on first use and kept while the loop exists.
    public static func on(_ loop: any EventLoop) -> LoopTimers {
        registry.withLockedValue { table in
            let key = ObjectIdentifier(loop)
            if let entry = table[key], entry.loop === loop { return entry.timers }
            // A loop that is gone may have left its identifier to this one; drop the dead entries.
            table = table.filter { $0.value.loop != nil }
            let timers = LoopTimers(loop: loop)
            table[key] = RegistryEntry(loop: loop, timers: timers)
            return timers
        }
    }

    private struct RegistryEntry {
        weak var loop: (any EventLoop)?
        let timers: LoopTimers
    }

    private static let registry = NIOLockedValueBox<[ObjectIdentifier: RegistryEntry]>([:])
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
