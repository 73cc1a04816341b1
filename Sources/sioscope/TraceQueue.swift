import ConsoleModel
import NIOConcurrencyHelpers

/// The bounded hand-over between the cores' event loops and the UI thread. Recording never
/// blocks for long and never grows past `capacity`: when the UI falls behind, new events are
/// counted as dropped and the console shows the count.
final class TraceQueue: TraceSink, Sendable {
    private struct Inner {
        var events: [TraceEvent] = []
        var dropped = 0
    }
    private let inner = NIOLockedValueBox(Inner())
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func record(_ event: TraceEvent) {
        inner.withLockedValue { inner in
            if inner.events.count < capacity {
                inner.events.append(event)
            } else {
                inner.dropped += 1
            }
        }
    }

    /// Everything queued since the last call, and the total dropped so far.
    func drain() -> (events: [TraceEvent], dropped: Int) {
        inner.withLockedValue { inner in
            let events = inner.events
            inner.events.removeAll(keepingCapacity: true)
            return (events, inner.dropped)
        }
    }
}

/// Actions coming back from effects (acks, errors, spawn results), for the UI thread to apply.
final class ActionInbox: Sendable {
    private let actions = NIOLockedValueBox<[Action]>([])

    func post(_ action: Action) { actions.withLockedValue { $0.append(action) } }

    func drain() -> [Action] {
        actions.withLockedValue { list in
            defer { list.removeAll() }
            return list
        }
    }
}
