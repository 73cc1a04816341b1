import ConsoleModel
import Foundation
import SocketIOServer

/// Performs the reducer's effects against the embedded server and the simulated clients, and
/// posts each outcome back as an action.
public struct EffectRunner: Sendable {
    /// The embedded server; nil when the console is attached to someone else's server.
    let io: SocketIOServer?
    let clients: SimulatedClients
    let inbox: ActionInbox

    public init(io: SocketIOServer?, clients: SimulatedClients, inbox: ActionInbox) {
        self.io = io
        self.clients = clients
        self.inbox = inbox
    }

    public func perform(_ effect: Effect) {
        if io == nil, Self.needsServer(effect) {
            return report("attached to a remote server: its middleware, rooms and sockets are not ours to change", error: true)
        }
        switch effect {
        case .emit(let request):
            emit(request)
        case .setOverride(let scope, let middleware, let verdict):
            setOverride(scope, middleware, verdict)
        case .spawn(let count, let namespace, let auth, let transport):
            let names = clients.spawn(count: count, namespace: namespace, auth: auth, transport: transport)
            report("spawning \(names.joined(separator: ", ")) into \(namespace)")
        case .disconnect(let ref):
            if ref.side == .client {
                report(clients.disconnect(ref.id) ? "\(ref.id) disconnected" : "no client \(ref.id)", error: false)
            } else if let socket = io?.namespace(named: ref.namespace)?.socket(id: ref.id) {
                socket.disconnect()
                report("disconnected \(ref.id) from \(ref.namespace)")
            } else {
                report("socket \(ref.id) is gone", error: true)
            }
        case .join(let ref, let room), .leave(let ref, let room):
            guard let socket = io?.namespace(named: ref.namespace)?.socket(id: ref.id) else {
                return report("socket \(ref.id) is gone", error: true)
            }
            if case .join = effect {
                socket.join(room)
                report("\(ref.id) joined \(room)")
            } else {
                socket.leave(room)
                report("\(ref.id) left \(room)")
            }
        case .save(let path, let lines):
            do {
                try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: path, atomically: true, encoding: .utf8)
                report("saved \(lines.count) trace lines to \(path)")
            } catch {
                report("cannot save to \(path): \(error.localizedDescription)", error: true)
            }
        case .quit, .redraw, .suspend:
            break   // the loop's and the terminal's (ConsoleDriver)
        }
    }

    static func needsServer(_ effect: Effect) -> Bool {
        switch effect {
        case .setOverride, .join, .leave: return true
        case .disconnect(let ref): return ref.side == .server
        default: return false
        }
    }

    func report(_ text: String, error: Bool = false) {
        inbox.post(.report(StatusMessage(text, isError: error)))
    }

    func setOverride(_ scope: MiddlewareScope, _ middleware: String?, _ verdict: ForcedVerdict?) {
        guard let io else { return }
        let override: MiddlewareOverride? = verdict.map {
            switch $0 {
            case .reject(let message, let data): return .reject(message: message, data: data)
            case .delay(let ms): return .delay(milliseconds: ms)
            }
        }
        let names: [String]
        switch scope {
        case .namespace(let name):
            guard let namespace = io.namespace(named: name) else { return report("no namespace \(name)", error: true) }
            names = middleware.map { [$0] } ?? namespace.middleware.map(\.name)
            for n in names { namespace.setOverride(override, for: n) }
        case .parent(let label):
            guard let parent = io.parentNamespaces.first(where: { $0.label == label }) else { return report("no parent \(label)", error: true) }
            names = middleware.map { [$0] } ?? parent.middleware.map(\.name)
            for n in names { parent.setOverride(override, for: n) }
        }
        let what: String
        switch verdict {
        case nil: what = "back to its own rule"
        case .reject(let message, let data)?: what = "forced to reject \"\(message)\"" + (data.map { " " + $0.jsonText } ?? "")
        case .delay(let ms)?: what = "delayed \(ms) ms"
        }
        report("\(scope.name) \(names.joined(separator: ", ")): \(what)")
    }

    func emit(_ request: EmitRequest) {
        switch request.from {
        case .client(let ref):
            guard let client = clients.client(ref.id) else { return report("no client \(ref.id)", error: true) }
            let socket = client.socket
            if request.ack {
                Task {
                    do {
                        let reply = try await socket.emitWithAck(request.event, request.arguments, timeout: .milliseconds(Int(request.timeoutSeconds * 1000)))
                        report("ack from the server to \(ref.id): \(JSONValue.array(reply).jsonText)")
                    } catch {
                        report("\(ref.id) \"\(request.event)\": no ack (\(error))", error: true)
                    }
                }
            } else {
                do {
                    try socket.emit(request.event, request.arguments)
                    report("\(ref.id) emitted \"\(request.event)\"")
                } catch {
                    report("cannot emit: \(error)", error: true)
                }
            }
        case .server(let target):
            emitFromServer(target, request)
        }
    }

    func emitFromServer(_ target: EmitTarget, _ request: EmitRequest) {
        guard let io else { return report("attached to a remote server: emit from a client (emit client c1 ...)", error: true) }
        switch target {
        case .socket(let ref):
            guard let socket = io.namespace(named: ref.namespace)?.socket(id: ref.id) else {
                return report("socket \(ref.id) is gone", error: true)
            }
            if request.ack {
                Task {
                    do {
                        let reply = try await socket.emitWithAck(request.event, request.arguments,
                                                                 timeout: .milliseconds(Int(request.timeoutSeconds * 1000)))
                        report("ack from \(ref.id): \(JSONValue.array(reply).jsonText)")
                    } catch {
                        report("\"\(request.event)\" to \(ref.id): \(error)", error: true)
                    }
                }
            } else {
                do {
                    try socket.emit(request.event, request.arguments)
                    report("emitted \"\(request.event)\" to \(ref.id)")
                } catch {
                    report("cannot emit: \(error)", error: true)
                }
            }
        case .namespace(let name), .room(let name, _):
            guard let namespace = io.namespace(named: name) else { return report("no namespace \(name)", error: true) }
            var op = BroadcastOperator.everyone(in: namespace)
            var label = name
            if case .room(_, let room) = target {
                op = op.to(room)
                label = "room \(room) of \(name)"
            }
            if request.ack {
                // A broadcast with an ack waits for every recipient: ask each socket and report as they answer.
                let sockets = op.fetchSockets()
                if sockets.isEmpty { return report("nobody in \(label)", error: true) }
                for socket in sockets {
                    emitFromServer(.socket(SocketRef(side: .server, id: socket.id, namespace: name)), request)
                }
                return
            }
            do {
                let count = try op.emit(request.event, request.arguments)
                report("emitted \"\(request.event)\" to \(label): \(count) socket\(count == 1 ? "" : "s")")
            } catch {
                report("cannot emit: \(error)", error: true)
            }
        }
    }
}
