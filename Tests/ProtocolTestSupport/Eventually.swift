import Foundation

/// Waits until `condition` holds, checking every 20 ms, at most `seconds`; returns whether it held.
/// Tests await outcomes this way instead of sleeping a fixed time.
public func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
