import ConsoleModel
import NIOConcurrencyHelpers

/// Actions coming back from effects (acks, errors, spawn results), for the UI thread to apply.
public final class ActionInbox: Sendable {
    private let actions = NIOLockedValueBox<[Action]>([])

    public init() {}

    public func post(_ action: Action) { actions.withLockedValue { $0.append(action) } }

    public func drain() -> [Action] {
        actions.withLockedValue { list in
            defer { list.removeAll() }
            return list
        }
    }
}
