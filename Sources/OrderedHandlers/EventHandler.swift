/// A listener as registered: synchronous ones run at once, on the connection's event loop;
/// asynchronous ones run on the socket's `HandlerLane`, one after another in arrival order.
public enum EventHandler<Event: Sendable>: Sendable {
    case immediate(@Sendable (Event) -> Void)
    case ordered(@Sendable (Event) async -> Void)

    /// Calls the handler now, or queues it on the socket's lane (`lane` makes it when first asked).
    @inlinable
    public func handle(_ event: Event, lane: () -> HandlerLane) {
        switch self {
        case .immediate(let handler): handler(event)
        case .ordered(let handler): lane().run { await handler(event) }
        }
    }

    public var isOrdered: Bool {
        if case .ordered = self { return true }
        return false
    }
}
