import NIOConcurrencyHelpers
import SocketIOTrace

/// The bounded hand-over between the cores' event loops and the UI thread. Recording takes a lock
/// for an append and never grows past `capacity`: when the UI falls behind, the oldest events give
/// way to the newest (a live console shows what is happening now) and are counted as dropped; the
/// console shows the count. They give way a whole batch at a time, set aside in O(1) and freed by
/// the UI thread's next drain: freeing them one by one would put that cost on the server's event
/// loops, under the lock, exactly when the server is busiest. The lock is a pthread mutex
/// (`NIOLockedValueBox`): the thread sanitizer sees its ordering, which it cannot see in the
/// uninstrumented standard library's `Mutex` once threads contend (a false race report in CI).
public final class TraceQueue: TraceSink, Sendable {
    private struct Inner {
        var events: [TraceEvent] = []
        /// The batch that gave way last, for the UI thread to free.
        var discarded: [TraceEvent] = []
        var dropped = 0
    }
    private let inner = NIOLockedValueBox(Inner())
    public let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = max(1, capacity)
    }

    public func record(_ event: TraceEvent) {
        inner.withLockedValue { inner in
            if inner.events.count >= capacity {
                inner.dropped += inner.events.count
                if inner.discarded.isEmpty {
                    swap(&inner.discarded, &inner.events)
                } else {
                    inner.events.removeAll(keepingCapacity: true)   // the UI has not drained since: free here
                }
            }
            inner.events.append(event)
        }
    }

    /// Everything kept since the last call, oldest first, and the total dropped so far.
    public func drain() -> (events: [TraceEvent], dropped: Int) {
        let (events, discarded, dropped) = inner.withLockedValue { inner in
            defer {
                inner.events = []
                inner.discarded = []
            }
            return (inner.events, inner.discarded, inner.dropped)
        }
        _ = consume discarded   // freed here, on the UI thread, outside the lock
        return (events, dropped)
    }
}
