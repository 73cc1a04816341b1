import SocketIOTrace

extension Reducer {
    static func runCommand(_ state: inout AppState, _ line: String) -> [Effect] {
        let command: Command
        do {
            command = try CommandParser.parse(line)
        } catch {
            return fail(&state, "\(line.split(separator: " ").first.map(String.init) ?? "command"): \(error)")
        }
        if !state.hasServer {
            switch command {
            case .reject, .allow, .delay, .join, .leave:
                return fail(&state, "attached to a remote server: its middleware and rooms are not ours to change")
            default: break
            }
        }
        switch command {
        case .emit(let emit):
            return resolveEmit(&state, emit)
        case .spawn(let count, let namespace, let auth, let transport, let options):
            if let on = options.on, !state.snapshot.sockets.contains(where: { $0.side == .client && $0.id == on }) {
                return fail(&state, "no simulated client '\(on)' to share a connection with")
            }
            return [.spawn(count: count, namespace: namespace, auth: auth, transport: transport, options: options)]
        case .fault(let fault, let client):
            guard state.snapshot.sockets.contains(where: { $0.side == .client && $0.id == client }) else {
                return fail(&state, "no simulated client '\(client)' (\(fault.rawValue) acts on the console's own clients)")
            }
            return [.fault(fault, client: client)]
        case .disconnect(let id):
            guard let socket = findSocket(state, id) else { return fail(&state, "no socket or client '\(id)'") }
            return [.disconnect(SocketRef(side: socket.side, id: socket.id, namespace: socket.namespace))]
        case .reject(let namespace, let middleware, let message, let data):
            return override(&state, namespace, middleware, .reject(message: message, data: data))
        case .allow(let namespace, let middleware):
            return override(&state, namespace, middleware, nil)
        case .delay(let namespace, let middleware, let ms):
            return override(&state, namespace, middleware, .delay(milliseconds: ms))
        case .join(let id, let room), .leave(let id, let room):
            guard let socket = findSocket(state, id), socket.side == .server else {
                return fail(&state, "no server socket '\(id)' (rooms live on the server side)")
            }
            let ref = SocketRef(side: .server, id: socket.id, namespace: socket.namespace)
            if case .join = command { return [.join(ref, room: room)] }
            return [.leave(ref, room: room)]
        case .save(let path):
            let lines = state.packets.elements.map { $0.event.json(time: $0.time).jsonText }
                + state.decisions.elements.map { TraceEvent.middleware($0.decision).json(time: $0.time).jsonText }
            return [.save(path: path, lines: lines)]
        case .theme(let name):
            guard state.themeNames.contains(name) else {
                return fail(&state, "no theme '\(name)'; themes: \(state.themeNames.joined(separator: ", "))")
            }
            state.themeName = name
            state.messages.append(StatusMessage("theme \(name)"))
        case .filter(let text):
            state.filter = (try? PacketFilter.parse(text)) ?? .none
            state.messages.append(StatusMessage(state.filter.isEmpty ? "filter cleared" : "filter: \(text)"))
        case .clear:
            return reduce(&state, .clearPackets)
        case .pause:
            return reduce(&state, .togglePause)
        case .follow:
            return reduce(&state, .toggleFollow)
        case .help:
            state.mode = .help
        case .quit:
            return reduce(&state, .quit)
        case .tour(let name):
            return [.openTour(name: name)]
        case .tourOff:
            return reduce(&state, .tourClose)
        }
        return []
    }

    /// A socket by server socket id, simulated client name, or a unique prefix of either.
    static func findSocket(_ state: AppState, _ id: String) -> SocketInfo? {
        if let exact = state.snapshot.sockets.first(where: { $0.id == id }) { return exact }
        let candidates = state.snapshot.sockets.filter { $0.id.hasPrefix(id) }
        return candidates.count == 1 ? candidates[0] : nil
    }

    static func resolveEmit(_ state: inout AppState, _ emit: EmitCommand) -> [Effect] {
        var emit = emit
        if !state.hasServer, emit.source == .server {
            // Attached as a client: an emit goes from the selected client, or the first one connected
            // to the selected namespace.
            if emit.target != nil { return fail(&state, "attached as a client: emits go to the server; drop 'to'") }
            let namespace = state.narrowNamespace ?? state.selectedNamespaceRow?.concreteNamespace
            let selected = state.selectedSocket.flatMap { $0.side == .client && $0.state == .connected ? $0 : nil }
            guard let client = selected ?? state.snapshot.sockets.first(where: {
                $0.side == .client && $0.state == .connected && (namespace == nil || $0.namespace == namespace)
            }) else {
                return fail(&state, "no connected client\(namespace.map { " in \($0)" } ?? ""); :connect NSP first")
            }
            emit.source = .client(client.id)
        }
        let from: EmitRequest.From
        switch emit.source {
        case .client(let name):
            guard let client = findSocket(state, name), client.side == .client else {
                return fail(&state, "no simulated client '\(name)' (spawn one with c or :spawn)")
            }
            if emit.target != nil { return fail(&state, "a client emits to its own namespace; drop 'to'") }
            from = .client(SocketRef(side: .client, id: client.id, namespace: client.namespace))
        case .server:
            let current = state.narrowNamespace ?? state.selectedNamespaceRow?.concreteNamespace ?? "/"
            guard let target = emit.target else {
                from = .server(.namespace(current))
                break
            }
            if target.hasPrefix("/") {
                guard state.snapshot.namespaces.contains(where: { $0.name == target }) else {
                    return fail(&state, "no namespace \(target) on the server")
                }
                from = .server(.namespace(target))
            } else if let socket = findSocket(state, target), socket.side == .server {
                from = .server(.socket(SocketRef(side: .server, id: socket.id, namespace: socket.namespace)))
            } else {
                from = .server(.room(namespace: current, room: target))
            }
        }
        return [.emit(EmitRequest(from: from, event: emit.event, arguments: emit.arguments, ack: emit.ack,
                                  timeoutSeconds: emit.timeoutSeconds))]
    }

    static func override(_ state: inout AppState, _ name: String, _ middleware: String?, _ verdict: ForcedVerdict?) -> [Effect] {
        let scope: MiddlewareScope
        let available: [String]
        if let ns = state.snapshot.namespaces.first(where: { $0.name == name }) {
            scope = .namespace(name)
            let inherited = ns.parent.flatMap { p in state.snapshot.parents.first { $0.label == p } }?.middleware ?? []
            available = (inherited + ns.middleware).map(\.name)
        } else if let parent = state.snapshot.parents.first(where: { $0.label == name }) {
            scope = .parent(name)
            available = parent.middleware.map(\.name)
        } else {
            return fail(&state, "no namespace \(name) on the server")
        }
        if let middleware {
            guard available.contains(middleware) else {
                return fail(&state, "\(name) has no middleware '\(middleware)'"
                            + (available.isEmpty ? "" : " (it has \(available.joined(separator: ", ")))"))
            }
        } else if available.isEmpty {
            return fail(&state, "\(name) has no middleware to override")
        }
        return [.setOverride(scope: scope, middleware: middleware, verdict)]
    }

    /// `r`: force the selected middleware to reject, or back to its own rule.
    static func toggleRejectSelected(_ state: inout AppState) -> [Effect] {
        let target: (MiddlewareScope, String, ForcedVerdict?)?
        switch state.focus {
        case .middleware:
            target = state.selectedMiddleware.map { ($0.scope, $0.info.name, $0.info.forced) }
        case .namespaces:
            target = state.selectedNamespaceRow.flatMap { row in
                row.middleware.first.map { (row.kind == .parent ? .parent(row.name) : .namespace(row.name), $0.name, $0.forced) }
            }
        default:
            target = nil
        }
        guard let (scope, name, forced) = target else {
            return fail(&state, "select a middleware in the Middleware pane (5), or a namespace that has one")
        }
        return [.setOverride(scope: scope, middleware: name, forced == nil ? .reject(message: "rejected by sioscope", data: nil) : nil)]
    }
}
