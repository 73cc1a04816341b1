import SocketIOTrace
import WireJSON

/// How an effect turned out, as the runtime reports it back (`Action.outcome`): values the model
/// can keep and test, from which the status line's text is made.
public enum EffectOutcome: Sendable, Hashable {
    /// An emit left: by a simulated client (`client`), or by the server to `target` (`count`
    /// recipients for a broadcast).
    case emitted(event: String, client: String?, target: String?, count: Int?)
    /// The answer to an emit that asked for one: from the server to simulated client `client`, or
    /// from socket `from` to the server.
    case acked(event: String, client: String?, from: String?, reply: [JSONValue])
    /// No answer: timed out, or the peer went away.
    case ackFailed(event: String, peer: String, reason: String)
    case spawning(names: [String], namespace: String)
    case clientConnected(name: String, namespace: String, socketID: String)
    case clientRefused(name: String, namespace: String, message: String, data: JSONValue?)
    case disconnected(id: String, namespace: String?)
    case faulted(ClientFault, client: String)
    case joined(id: String, room: String)
    case left(id: String, room: String)
    case saved(path: String, lines: Int)
    /// Middleware forced (or given back their own rule, `verdict` nil).
    case overridden(scope: String, middleware: [String], verdict: ForcedVerdict?)
    case failed(String)

    public var isError: Bool {
        switch self {
        case .ackFailed, .clientRefused, .failed: return true
        default: return false
        }
    }

    /// Whether this outcome answers something done to or by the socket or simulated client `id`
    /// (the detail pane lists them beside the socket).
    public func concerns(_ id: String) -> Bool {
        switch self {
        case .emitted(_, let client, let target, _): return client == id || target == id
        case .acked(_, let client, let from, _): return client == id || from == id
        case .ackFailed(_, let peer, _): return peer == id
        case .clientConnected(let name, _, _), .clientRefused(let name, _, _, _): return name == id
        case .disconnected(let socket, _), .joined(let socket, _), .left(let socket, _), .faulted(_, let socket): return socket == id
        case .spawning(let names, _): return names.contains(id)
        case .saved, .overridden, .failed: return false
        }
    }

    /// The status line.
    public var text: String {
        switch self {
        case .emitted(let event, let client?, _, _):
            return "\(client) emitted \"\(event)\""
        case .emitted(let event, nil, let target, let count):
            let to = target.map { " to \($0)" } ?? ""
            return "emitted \"\(event)\"\(to)" + (count.map { ": \($0) socket\($0 == 1 ? "" : "s")" } ?? "")
        case .acked(_, let client?, _, let reply):
            return "ack from the server to \(client): \(JSONValue.array(reply).jsonText)"
        case .acked(_, nil, let from, let reply):
            return "ack from \(from ?? "?"): \(JSONValue.array(reply).jsonText)"
        case .ackFailed(let event, let peer, let reason):
            return "\"\(event)\" and \(peer): no ack (\(reason))"
        case .spawning(let names, let namespace):
            return "spawning \(names.joined(separator: ", ")) into \(namespace)"
        case .clientConnected(let name, let namespace, let id):
            return "\(name) connected to \(namespace) as \(id)"
        case .clientRefused(let name, let namespace, let message, let data):
            return "\(name) → \(namespace) refused: \(message)" + (data.map { " " + $0.jsonText } ?? "")
        case .disconnected(let id, let namespace?):
            return "disconnected \(id) from \(namespace)"
        case .disconnected(let id, nil):
            return "\(id) disconnected"
        case .faulted(.freeze, let client):
            return "\(client) frozen: it leaves pings unanswered (thaw \(client) undoes it)"
        case .faulted(.thaw, let client):
            return "\(client) answers pings again"
        case .faulted(.drop, let client):
            return "\(client)'s connection dropped"
        case .joined(let id, let room):
            return "\(id) joined \(room)"
        case .left(let id, let room):
            return "\(id) left \(room)"
        case .saved(let path, let lines):
            return "saved \(lines) trace lines to \(path)"
        case .overridden(let scope, let middleware, let verdict):
            return "\(scope) \(middleware.joined(separator: ", ")): " + TraceEvent.overrideText(verdict)
        case .failed(let why):
            return why
        }
    }
}
