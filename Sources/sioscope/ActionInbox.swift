import ConsoleModel
import NIOConcurrencyHelpers

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
