import Synchronization

/// The bounded hand-over between the cores' event loops and the UI thread. Recording takes a lock
/// for an append and never grows past `capacity`: when the UI falls behind, the oldest events give
/// way to the newest (a live console shows what is happening now) and are counted as dropped; the
/// console shows the count.
public final class TraceQueue: TraceSink, Sendable {
    private struct Inner {
        /// A ring once full: `start` is where the oldest kept event is.
        var events: [TraceEvent] = []
        var start = 0
        var dropped = 0
    }
    private let inner = Mutex(Inner())
    public let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = max(1, capacity)
    }

    public func record(_ event: TraceEvent) {
        inner.withLock { inner in
            if inner.events.count < capacity {
                inner.events.append(event)
            } else {
                inner.events[inner.start] = event
                inner.start = (inner.start + 1) % capacity
                inner.dropped += 1
            }
        }
    }

    /// Everything queued since the last call, oldest first, and the total dropped so far.
    public func drain() -> (events: [TraceEvent], dropped: Int) {
        inner.withLock { inner in
            var events = inner.events
            if inner.start > 0 { events = Array(events[inner.start...] + events[..<inner.start]) }
            inner.events.removeAll(keepingCapacity: true)
            inner.start = 0
            return (events, inner.dropped)
        }
    }
}
