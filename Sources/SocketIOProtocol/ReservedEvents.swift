/// Event names the Socket.IO API keeps for itself: an application cannot emit them, and a received
/// EVENT with one of them is refused as the reference parser does.
public enum ReservedEvents {
    public static let names: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// A switch, not the set: no hashing on the path every received event takes.
    public static func contains(_ name: String) -> Bool {
        switch name {
        case "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener": return true
        default: return false
        }
    }
}
