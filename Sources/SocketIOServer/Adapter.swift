import NIOConcurrencyHelpers

/// Keeps track of which sockets are in which rooms of one namespace. The in-memory adapter is the
/// default; a cluster adapter would implement the same calls across processes.
public protocol SocketIOAdapter: Sendable {
    func add(_ socketID: String, to rooms: Set<String>)
    func remove(_ socketID: String, from room: String)
    func removeAll(_ socketID: String)
    func rooms(of socketID: String) -> Set<String>
    /// Sockets in any of `rooms` (every socket when `rooms` is empty), minus those in `except`.
    func sockets(in rooms: Set<String>, except: Set<String>) -> Set<String>
    var rooms: Set<String> { get }
}

public final class InMemoryAdapter: SocketIOAdapter {
    private struct State {
        var members: [String: Set<String>] = [:]
        var roomsBySocket: [String: Set<String>] = [:]
    }
    private let state = NIOLockedValueBox(State())

    public init() {}

    public func add(_ socketID: String, to rooms: Set<String>) {
        state.withLockedValue { s in
            for room in rooms { s.members[room, default: []].insert(socketID) }
            s.roomsBySocket[socketID, default: []].formUnion(rooms)
        }
    }

    public func remove(_ socketID: String, from room: String) {
        state.withLockedValue { s in
            s.members[room]?.remove(socketID)
            if s.members[room]?.isEmpty == true { s.members[room] = nil }
            s.roomsBySocket[socketID]?.remove(room)
        }
    }

    public func removeAll(_ socketID: String) {
        state.withLockedValue { s in
            for room in s.roomsBySocket[socketID] ?? [] {
                s.members[room]?.remove(socketID)
                if s.members[room]?.isEmpty == true { s.members[room] = nil }
            }
            s.roomsBySocket[socketID] = nil
        }
    }

    public func rooms(of socketID: String) -> Set<String> {
        state.withLockedValue { $0.roomsBySocket[socketID] ?? [] }
    }

    public func sockets(in rooms: Set<String>, except: Set<String>) -> Set<String> {
        state.withLockedValue { s in
            var result: Set<String>
            if rooms.isEmpty {
                result = Set(s.roomsBySocket.keys)
            } else {
                result = []
                for room in rooms { result.formUnion(s.members[room] ?? []) }
            }
            for room in except { result.subtract(s.members[room] ?? []) }
            return result
        }
    }

    public var rooms: Set<String> { state.withLockedValue { Set($0.members.keys) } }
}
