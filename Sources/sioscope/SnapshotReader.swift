import ConsoleModel
import SocketIOServer

/// Reads what the server and the simulated clients look like now, for the namespaces, sockets and
/// middleware panes.
struct SnapshotReader: Sendable {
    let io: SocketIOServer
    let clients: SimulatedClients

    func read() -> ConsoleSnapshot {
        var snapshot = ConsoleSnapshot()
        var serverSockets: [String: SocketInfo] = [:]
        for name in io.namespaceNames {
            guard let namespace = io.namespace(named: name) else { continue }
            let overrides = namespace.overrides
            let inherited = namespace.parent?.middleware.count ?? 0
            let own = namespace.middleware.dropFirst(inherited).map { MiddlewareInfo(name: $0.name, forced: Self.forced(overrides[$0.name])) }
            let sockets = namespace.sockets
            snapshot.namespaces.append(NamespaceInfo(name: name, parent: namespace.parent?.label, socketCount: sockets.count,
                                                     middleware: own))
            for socket in sockets {
                let handshake = socket.handshake
                let info = SocketInfo(
                    id: socket.id, side: .server, namespace: name, sid: socket.engineID,
                    transport: socket.transport == .websocket ? .websocket : .polling,
                    rooms: socket.rooms.filter { $0 != socket.id }.sorted(),
                    auth: handshake.auth.isEmpty ? "" : JSONValue.object(handshake.auth).jsonText,
                    connectedAt: handshake.time, state: .connected, remoteAddress: handshake.address ?? "")
                snapshot.sockets.append(info)
                serverSockets[socket.id] = info
            }
        }
        for parent in io.parentNamespaces {
            let overrides = parent.overrides
            snapshot.parents.append(ParentInfo(label: parent.label,
                                               middleware: parent.middleware.map { MiddlewareInfo(name: $0.name, forced: Self.forced(overrides[$0.name])) }))
        }
        for client in clients.all {
            // The server's view of the same socket gives the session id and the live transport.
            let serverID = client.state == .connected ? String(client.note.dropFirst(3)) : ""
            let twin = serverSockets[serverID]
            snapshot.sockets.append(SocketInfo(
                id: client.name, side: .client, namespace: client.namespace, sid: twin?.sid ?? "",
                transport: twin?.transport ?? client.transport, rooms: [],
                auth: client.auth.map { JSONValue.object($0).jsonText } ?? "", connectedAt: client.startedAt,
                state: client.state, note: client.note))
        }
        return snapshot
    }

    static func forced(_ override: MiddlewareOverride?) -> ForcedVerdict? {
        switch override {
        case nil: return nil
        case .reject(let message, let data)?: return .reject(message: message, data: data)
        case .delay(let ms)?: return .delay(milliseconds: ms)
        }
    }
}
