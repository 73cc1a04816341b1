/// Event names the Socket.IO API keeps for itself: an application cannot emit them, and a received
/// EVENT with one of them is refused as the reference parser does.
public enum ReservedEvents {
    public static let names: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    public static func contains(_ name: String) -> Bool { names.contains(name) }
}
