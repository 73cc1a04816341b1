import Synchronization

/// The bounded hand-over between the cores' event loops and the UI thread. Recording takes a lock
/// for an append and never grows past `capacity`: when the UI falls behind, new events are counted
/// as dropped and the console shows the count.
public final class TraceQueue: TraceSink, Sendable {
    private struct Inner {
        var events: [TraceEvent] = []
        var dropped = 0
    }
    private let inner = Mutex(Inner())
    public let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    public func record(_ event: TraceEvent) {
        inner.withLock { inner in
            if inner.events.count < capacity {
                inner.events.append(event)
            } else {
                inner.dropped += 1
            }
        }
    }

    /// Everything queued since the last call, and the total dropped so far.
    public func drain() -> (events: [TraceEvent], dropped: Int) {
        inner.withLock { inner in
            let events = inner.events
            inner.events.removeAll(keepingCapacity: true)
            return (events, inner.dropped)
        }
    }
}
