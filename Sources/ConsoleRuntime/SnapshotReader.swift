import ConsoleModel
import SocketIOServer

/// Reads what the server and the simulated clients look like now, for the namespaces, sockets and
/// middleware panes.
public struct SnapshotReader: Sendable {
    /// The embedded server; nil when attached to someone else's.
    let io: SocketIOServer?
    let clients: SimulatedClients
    /// Show auth keys, not values.
    var redact = false

    public init(io: SocketIOServer?, clients: SimulatedClients, redact: Bool = false) {
        self.io = io
        self.clients = clients
        self.redact = redact
    }

    public func read() -> ConsoleSnapshot {
        var snapshot = ConsoleSnapshot()
        var serverSockets: [String: SocketInfo] = [:]
        guard let io else { return clientsOnly() }
        for name in io.namespaceNames {
            guard let namespace = io.namespace(named: name) else { continue }
            let overrides = namespace.overrides
            let inherited = namespace.parent?.middleware.count ?? 0
            let own = namespace.middleware.dropFirst(inherited).map { MiddlewareInfo(name: $0.name, forced: overrides[$0.name]) }
            let sockets = namespace.sockets
            snapshot.namespaces.append(NamespaceInfo(name: name, parent: namespace.parent?.label, socketCount: sockets.count,
                                                     middleware: own))
            for socket in sockets {
                let handshake = socket.handshake
                let info = SocketInfo(
                    id: socket.id, side: .server, namespace: name, sid: socket.engineID,
                    transport: socket.transport == .websocket ? .websocket : .polling,
                    rooms: socket.rooms.filter { $0 != socket.id }.sorted(),
                    auth: SocketInfo.authText(handshake.auth, redact: redact),
                    connectedAt: handshake.time, state: .connected, remoteAddress: handshake.address ?? "")
                snapshot.sockets.append(info)
                serverSockets[socket.id] = info
            }
        }
        for parent in io.parentNamespaces {
            let overrides = parent.overrides
            snapshot.parents.append(ParentInfo(label: parent.label,
                                               middleware: parent.middleware.map { MiddlewareInfo(name: $0.name, forced: overrides[$0.name]) }))
        }
        snapshot.sockets += clientRows(twins: serverSockets)
        return snapshot
    }

    /// Attached to a remote server: the namespaces are the ones our clients joined.
    func clientsOnly() -> ConsoleSnapshot {
        let rows = clientRows(twins: [:])
        let names = Set(rows.map(\.namespace)).sorted()
        let namespaces = names.map { name in
            NamespaceInfo(name: name, socketCount: rows.filter { $0.namespace == name && $0.state == .connected }.count)
        }
        return ConsoleSnapshot(namespaces: namespaces, sockets: rows)
    }

    /// The simulated clients; the server's view of the same socket (when the server is ours) gives
    /// the live transport.
    func clientRows(twins: [String: SocketInfo]) -> [SocketInfo] {
        clients.all.map { client in client.row(redact: redact, twin: client.socketID.flatMap { twins[$0] }) }
    }
}
