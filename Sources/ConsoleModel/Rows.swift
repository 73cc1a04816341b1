import SocketIOTrace

/// A row of the namespaces pane: static namespaces, then each parent with its live children.
public struct NamespaceRow: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case plain, parent, child }
    public var kind: Kind
    /// The namespace name, or the parent's label.
    public var name: String
    public var socketCount: Int
    public var middleware: [MiddlewareInfo]

    public var forcedCount: Int { middleware.filter { $0.forced != nil }.count }
    /// The namespace emits and spawns go to when this row is selected (a parent is a pattern, not a namespace).
    public var concreteNamespace: String? { kind == .parent ? nil : name }
}

/// Where a middleware lives.
public enum MiddlewareScope: Sendable, Hashable {
    case namespace(String)
    case parent(String)

    public var name: String {
        switch self {
        case .namespace(let n), .parent(let n): return n
        }
    }
}

/// A row of the middleware pane.
public struct MiddlewareRow: Sendable, Hashable {
    public var scope: MiddlewareScope
    public var info: MiddlewareInfo
}

extension AppState {
    public var namespaceRows: [NamespaceRow] {
        var rows: [NamespaceRow] = []
        let parents = Set(snapshot.parents.map(\.label))
        for ns in snapshot.namespaces where ns.parent.map({ !parents.contains($0) }) ?? true {
            rows.append(NamespaceRow(kind: .plain, name: ns.name, socketCount: ns.socketCount, middleware: ns.middleware))
        }
        for parent in snapshot.parents {
            let children = snapshot.namespaces.filter { $0.parent == parent.label }
            rows.append(NamespaceRow(kind: .parent, name: parent.label, socketCount: children.reduce(0) { $0 + $1.socketCount },
                                     middleware: parent.middleware))
            for child in children {
                rows.append(NamespaceRow(kind: .child, name: child.name, socketCount: child.socketCount, middleware: child.middleware))
            }
        }
        return rows
    }

    public var middlewareRows: [MiddlewareRow] {
        var rows: [MiddlewareRow] = []
        for ns in snapshot.namespaces where ns.parent == nil {
            rows += ns.middleware.map { MiddlewareRow(scope: .namespace(ns.name), info: $0) }
        }
        for parent in snapshot.parents {
            rows += parent.middleware.map { MiddlewareRow(scope: .parent(parent.label), info: $0) }
        }
        return rows
    }

    /// Sockets shown: server sockets then simulated clients, narrowed to a namespace after Enter on one.
    public var socketRows: [SocketInfo] {
        let all = snapshot.sockets.filter { narrowNamespace == nil || $0.namespace == narrowNamespace }
        return all.sorted { a, b in
            if a.side != b.side { return a.side == .server }
            if a.namespace != b.namespace { return a.namespace < b.namespace }
            if a.connectedAt != b.connectedAt { return a.connectedAt < b.connectedAt }
            return a.id < b.id
        }
    }

    /// Packets that pass the filter and the namespace/socket narrowing, oldest first, without
    /// copying them: with nothing to filter, a view over the whole ring.
    public var visiblePackets: PacketView {
        let narrowed = !filter.isEmpty || narrowNamespace != nil || narrowSID != nil
        guard narrowed else { return PacketView(ring: packets, positions: nil) }
        var positions: [Int] = []
        for i in 0..<packets.count {
            let record = packets[i]
            if let narrowNamespace, record.namespace != narrowNamespace { continue }
            if let narrowSID, record.sid != narrowSID { continue }
            if !filter.isEmpty, !filter.matches(record) { continue }
            positions.append(i)
        }
        return PacketView(ring: packets, positions: positions)
    }

    public var selectedNamespaceRow: NamespaceRow? {
        let rows = namespaceRows
        let i = selection[.namespaces] ?? 0
        return rows.indices.contains(i) ? rows[i] : nil
    }

    public var selectedSocket: SocketInfo? {
        let rows = socketRows
        let i = selection[.sockets] ?? 0
        return rows.indices.contains(i) ? rows[i] : nil
    }

    public var selectedMiddleware: MiddlewareRow? {
        let rows = middlewareRows
        let i = selection[.middleware] ?? 0
        return rows.indices.contains(i) ? rows[i] : nil
    }

    public var selectedPacket: PacketRecord? {
        guard let seq = selectedPacketSeq else { return nil }
        return packet(seq: seq)
    }

    /// A kept packet by sequence number (binary search: sequence numbers only grow).
    public func packet(seq: Int) -> PacketRecord? {
        var low = 0, high = packets.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let s = packets[mid].seq
            if s == seq { return packets[mid] }
            if s < seq { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}

/// The visible packets: the ring itself, or the positions in it that pass the filter.
public struct PacketView: RandomAccessCollection, Sendable {
    let ring: RingBuffer<PacketRecord>
    let positions: [Int]?

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions?.count ?? ring.count }
    public subscript(index: Int) -> PacketRecord { ring[positions?[index] ?? index] }

    /// The index of the last packet whose sequence number is at most `seq` (binary search).
    public func lastIndex(atMost seq: Int) -> Int? {
        var low = 0, high = count - 1, found: Int? = nil
        while low <= high {
            let mid = (low + high) / 2
            if self[mid].seq <= seq { found = mid; low = mid + 1 } else { high = mid - 1 }
        }
        return found
    }
}
