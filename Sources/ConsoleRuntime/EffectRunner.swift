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
    /// Where the guided tour's lessons and progress live; nil: no tour in this console.
    let tours: TourLibrary?

    public init(io: SocketIOServer?, clients: SimulatedClients, inbox: ActionInbox, tours: TourLibrary? = nil) {
        self.io = io
        self.clients = clients
        self.inbox = inbox
        self.tours = tours
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
        case .spawn(let count, let namespace, let auth, let transport, let options):
            let names = clients.spawn(count: count, namespace: namespace, auth: auth, transport: transport, options: options)
            tell(.spawning(names: names, namespace: namespace))
        case .disconnect(let ref):
            if ref.side == .client {
                tell(clients.disconnect(ref.id) ? .disconnected(id: ref.id, namespace: nil) : .failed("no client \(ref.id)"))
            } else if let socket = io?.namespace(named: ref.namespace)?.socket(id: ref.id) {
                socket.disconnect()
                tell(.disconnected(id: ref.id, namespace: ref.namespace))
            } else {
                report("socket \(ref.id) is gone", error: true)
            }
        case .join(let ref, let room), .leave(let ref, let room):
            guard let socket = io?.namespace(named: ref.namespace)?.socket(id: ref.id) else {
                return report("socket \(ref.id) is gone", error: true)
            }
            if case .join = effect {
                socket.join(room)
                tell(.joined(id: ref.id, room: room))
            } else {
                socket.leave(room)
                tell(.left(id: ref.id, room: room))
            }
        case .save(let path, let lines):
            do {
                try (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).write(toFile: path, atomically: true, encoding: .utf8)
                tell(.saved(path: path, lines: lines.count))
            } catch {
                report("cannot save to \(path): \(error.localizedDescription)", error: true)
            }
        case .fault(let fault, let client):
            guard clients.fault(fault, client: client) else { return report("no client \(client)", error: true) }
            tell(.faulted(fault, client: client))
        case .openTour(let name):
            openTour(name)
        case .saveTourProgress(let lesson, let step):
            do { try tours?.saveProgress(lesson: lesson, step: step) } catch {
                report("tour: cannot remember where you are: \(error.localizedDescription)", error: true)
            }
        case .quit, .redraw, .suspend:
            break   // the loop's and the terminal's (ConsoleDriver)
        }
    }

    /// Loads the lessons and opens the tour at lesson `name` (an id or a number from 1), or where
    /// the operator stopped.
    func openTour(_ name: String?) {
        guard let tours else { return report("no tour in this console (sioscope tour starts one)", error: true) }
        let (lessons, problems) = tours.load()
        for problem in problems { report(problem, error: true) }
        guard !lessons.isEmpty else {
            return report("tour: no lessons in \(tours.directories.joined(separator: ", "))", error: true)
        }
        if let name {
            let id = Int(name).flatMap { (1...lessons.count).contains($0) ? lessons[$0 - 1].id : nil } ?? name
            guard lessons.contains(where: { $0.id == id }) else {
                return report("tour: no lesson '\(name)' (\(lessons.map(\.id).joined(separator: ", ")))", error: true)
            }
            inbox.post(.tourOpen(lessons, lesson: id, step: 0))
        } else {
            let stopped = tours.progress()
            inbox.post(.tourOpen(lessons, lesson: stopped?.lesson, step: stopped?.step ?? 0))
        }
    }

    static func needsServer(_ effect: Effect) -> Bool {
        switch effect {
        case .setOverride, .join, .leave: return true
        case .disconnect(let ref): return ref.side == .server
        default: return false
        }
    }

    /// Posts how an effect turned out, for the reducer.
    func tell(_ outcome: EffectOutcome) {
        inbox.post(.outcome(outcome))
    }

    /// A failure with nothing more to it than its reason.
    func report(_ text: String, error: Bool = false) {
        inbox.post(error ? .outcome(.failed(text)) : .report(StatusMessage(text)))
    }

    func setOverride(_ scope: MiddlewareScope, _ middleware: String?, _ verdict: ForcedVerdict?) {
        guard let io else { return }
        let names: [String]
        switch scope {
        case .namespace(let name):
            guard let namespace = io.namespace(named: name) else { return report("no namespace \(name)", error: true) }
            names = middleware.map { [$0] } ?? namespace.middleware.map(\.name)
            for n in names { namespace.setOverride(verdict, for: n) }
        case .parent(let label):
            guard let parent = io.parentNamespaces.first(where: { $0.label == label }) else { return report("no parent \(label)", error: true) }
            names = middleware.map { [$0] } ?? parent.middleware.map(\.name)
            for n in names { parent.setOverride(verdict, for: n) }
        }
        tell(.overridden(scope: scope.name, middleware: names, verdict: verdict))
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
                        tell(.acked(event: request.event, client: ref.id, from: nil, reply: reply))
                    } catch {
                        tell(.ackFailed(event: request.event, peer: ref.id, reason: "\(error)"))
                    }
                }
            } else {
                do {
                    try socket.emit(request.event, request.arguments)
                    tell(.emitted(event: request.event, client: ref.id, target: nil, count: nil))
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
                        tell(.acked(event: request.event, client: nil, from: ref.id, reply: reply))
                    } catch {
                        tell(.ackFailed(event: request.event, peer: ref.id, reason: "\(error)"))
                    }
                }
            } else {
                do {
                    try socket.emit(request.event, request.arguments)
                    tell(.emitted(event: request.event, client: nil, target: ref.id, count: nil))
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
                tell(.emitted(event: request.event, client: nil, target: label, count: count))
            } catch {
                report("cannot emit: \(error)", error: true)
            }
        }
    }
}
