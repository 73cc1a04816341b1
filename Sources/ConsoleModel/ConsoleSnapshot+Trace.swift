import SocketIOTrace

/// The namespaces, sockets and middleware panes follow the trace: each event that changes what
/// the cores look like changes the snapshot the moment it arrives. Every change is idempotent (a
/// connect for a socket already listed, a leave for a room not joined), so a reconciliation read
/// from the cores can land between any two events.
extension ConsoleSnapshot {
    /// Applies one event; true when something changed. `time` stamps new sockets.
    public mutating func apply(_ event: TraceEvent, time: Double) -> Bool {
        switch event {
        case .namespaceCreated(let name, let parent):
            guard namespaceIndex(name) == nil else { return false }
            namespaces.append(NamespaceInfo(name: name, parent: parent))
        case .namespaceRemoved(let name):
            guard let i = namespaceIndex(name) else { return false }
            namespaces.remove(at: i)
            sockets.removeAll { $0.side == .server && $0.namespace == name }
        case .socketConnected(.server, let namespace, let socketID, let sid, let transport, let auth, let remote):
            guard serverSocketIndex(socketID, namespace) == nil else { return false }
            sockets.append(SocketInfo(id: socketID, side: .server, namespace: namespace, sid: sid, transport: transport,
                                      auth: SocketInfo.authText(auth), connectedAt: time,
                                      remoteAddress: remote ?? ""))
            if let i = namespaceIndex(namespace) {
                namespaces[i].socketCount += 1
            } else {
                namespaces.append(NamespaceInfo(name: namespace, socketCount: 1))
            }
        case .socketDisconnected(.server, let namespace, let socketID, _):
            guard let i = serverSocketIndex(socketID, namespace) else { return false }
            sockets.remove(at: i)
            if let n = namespaceIndex(namespace) { namespaces[n].socketCount = max(0, namespaces[n].socketCount - 1) }
        case .engineUpgraded(_, let sid):
            // Both ends of one session share its id: the server's sockets and the simulated client's row.
            var changed = false
            for i in sockets.indices where sockets[i].sid == sid && sockets[i].transport != .websocket {
                sockets[i].transport = .websocket
                changed = true
            }
            return changed
        case .roomJoined(let namespace, let socketID, let room):
            guard let i = serverSocketIndex(socketID, namespace), !sockets[i].rooms.contains(room) else { return false }
            sockets[i].rooms.append(room)
            sockets[i].rooms.sort()
        case .roomLeft(let namespace, let socketID, let room):
            guard let i = serverSocketIndex(socketID, namespace), let r = sockets[i].rooms.firstIndex(of: room) else { return false }
            sockets[i].rooms.remove(at: r)
        case .middlewareAdded(let scope, let name):
            return changeMiddleware(in: scope) { list in
                guard !list.contains(where: { $0.name == name }) else { return false }
                list.append(MiddlewareInfo(name: name))
                return true
            }
        case .middlewareOverridden(let scope, let name, let override):
            return changeMiddleware(in: scope) { list in
                guard let i = list.firstIndex(where: { $0.name == name }), list[i].forced != override else { return false }
                list[i].forced = override
                return true
            }
        default:
            return false
        }
        return true
    }

    /// A simulated client's row, new or changed, as its runtime reports it. Without a server of our
    /// own (`hasServer` false), the namespaces are the ones the clients joined.
    public mutating func setClient(_ info: SocketInfo, hasServer: Bool) {
        var info = info
        // The report and the trace travel apart: an upgrade the server's end already traced wins.
        if !info.sid.isEmpty, sockets.contains(where: { $0.side == .server && $0.sid == info.sid && $0.transport == .websocket }) {
            info.transport = .websocket
        }
        if let i = sockets.firstIndex(where: { $0.side == .client && $0.id == info.id }) {
            sockets[i] = info
        } else {
            sockets.append(info)
        }
        if !hasServer { countClientNamespaces() }
    }

    public mutating func removeClient(named name: String, hasServer: Bool) {
        sockets.removeAll { $0.side == .client && $0.id == name }
        if !hasServer { countClientNamespaces() }
    }

    /// Attached to a remote server, the namespaces are those the simulated clients joined.
    mutating func countClientNamespaces() {
        let clients = sockets.filter { $0.side == .client }
        namespaces = Set(clients.map(\.namespace)).sorted().map { name in
            NamespaceInfo(name: name, socketCount: clients.filter { $0.namespace == name && $0.state == .connected }.count)
        }
    }

    func namespaceIndex(_ name: String) -> Int? { namespaces.firstIndex { $0.name == name } }

    func serverSocketIndex(_ id: String, _ namespace: String) -> Int? {
        sockets.firstIndex { $0.id == id && $0.side == .server && $0.namespace == namespace }
    }

    /// Changes the middleware list of the namespace or the parent named `scope`; a scope not listed
    /// yet is left to the next reconciliation.
    mutating func changeMiddleware(in scope: String, _ change: (inout [MiddlewareInfo]) -> Bool) -> Bool {
        if let i = namespaceIndex(scope) { return change(&namespaces[i].middleware) }
        if let i = parents.firstIndex(where: { $0.label == scope }) { return change(&parents[i].middleware) }
        return false
    }
}
