import SocketIOServer
import SocketIOTrace

/// Turns a `Scenario` into running servers.
public enum ScenarioRuntime {
    /// The Socket.IO server (and the bare Engine.IO echo server, if the scenario has one), ready to
    /// be served on one port.
    public static func build(_ scenario: Scenario, trace: (any TraceSink)?) throws -> (io: SocketIOServer, engines: [EngineServer]) {
        let io = SocketIOServer(configuration: scenario.serverConfiguration, trace: trace)
        for spec in scenario.namespaces {
            switch spec.match {
            case .name(let name):
                let namespace = io.of(name)
                for middleware in spec.middleware { namespace.use(makeMiddleware(middleware)) }
                namespace.onConnection { socket in install(spec, on: socket) }
            case .regex(let pattern):
                let parent = try io.of(regex: pattern)
                for middleware in spec.middleware { parent.use(makeMiddleware(middleware)) }
                parent.onConnection { socket in install(spec, on: socket) }
            case .prefix(let prefix):
                let parent = io.of { name, _ in name.count > prefix.count && name.hasPrefix(prefix) }
                for middleware in spec.middleware { parent.use(makeMiddleware(middleware)) }
                parent.onConnection { socket in install(spec, on: socket) }
            }
        }
        var engines = [io.engine]
        if let path = scenario.engineEchoPath {
            var config = scenario.engine
            config.path = path
            engines.append(EngineServer(configuration: config, trace: trace) { session in
                session.delegate = EngineEcho()
            })
        }
        return (io, engines)
    }

    static func makeMiddleware(_ spec: MiddlewareSpec) -> Middleware {
        switch spec.rule {
        case .allow:
            return .immediate(spec.name) { _ in }
        case .reject(let message, let data):
            return .immediate(spec.name) { _ in throw ConnectError(message, data: data) }
        case .delay(let ms):
            return Middleware(spec.name) { _ in try await Task.sleep(for: .milliseconds(ms)) }
        case .require(let condition, let message, let data):
            return .immediate(spec.name) { socket in
                guard holds(condition, Context(socket: socket, event: nil)) else { throw ConnectError(message, data: data) }
            }
        }
    }

    static func install(_ spec: NamespaceSpec, on socket: ServerSocket) {
        let context = Context(socket: socket, event: nil)
        for action in spec.onConnect { perform(action, context) }
        for (name, actions) in spec.events {
            socket.on(name) { event in
                let context = Context(socket: socket, event: event)
                for action in actions { perform(action, context) }
            }
        }
    }

    struct Context {
        var socket: ServerSocket
        var event: SocketEvent?
    }

    static func perform(_ action: Action, _ c: Context) {
        switch action {
        case .emit(let event, let arguments):
            try? c.socket.emit(event, values(arguments, c))
        case .ack(let arguments):
            c.event?.ack?(values(arguments, c))
        case .broadcast(let event, let arguments, let room, let includeSender):
            var target = includeSender ? BroadcastOperator.everyone(in: c.socket.namespace) : c.socket.broadcast
            if let room, case .string(let name) = evaluate(room, c) { target = target.to(name) }
            _ = try? target.emit(event, values(arguments, c))
        case .join(let room):
            if case .string(let name) = evaluate(room, c) { c.socket.join(name) }
        case .leave(let room):
            if case .string(let name) = evaluate(room, c) { c.socket.leave(name) }
        case .disconnect:
            c.socket.disconnect()
        case .when(let condition, let action):
            if holds(condition, c) { perform(action, c) }
        case .emitWithAck(let event, let arguments, let replyEvent):
            let args = values(arguments, c)
            let socket = c.socket
            Task {
                if let reply = try? await socket.emitWithAck(event, args, timeout: .seconds(10)) {
                    try? socket.emit(replyEvent, reply)
                }
            }
        }
    }

    /// Arguments for an emit or ack: `.arguments` spreads the event's arguments in place.
    static func values(_ list: [Value], _ c: Context) -> [JSONValue] {
        // The echo shape (`ack: arguments`) passes the arguments on as they are, without a copy.
        if list.count == 1, case .arguments = list[0] { return c.event?.arguments ?? [] }
        var out: [JSONValue] = []
        for value in list {
            if case .arguments = value {
                out += c.event?.arguments ?? []
            } else {
                out.append(evaluate(value, c))
            }
        }
        return out
    }

    static func evaluate(_ value: Value, _ c: Context) -> JSONValue {
        switch value {
        case .literal(let v): return v
        case .argument(let i):
            guard let args = c.event?.arguments, i >= 0, i < args.count else { return .null }
            return args[i]
        case .arguments: return .array(c.event?.arguments ?? [])
        case .auth(let path):
            var current = JSONValue.object(c.socket.handshake.auth)
            for key in path { current = current[key] ?? .null }
            return current
        case .query(let name): return c.socket.handshake.query[name].map { .string($0) } ?? .null
        case .header(let name): return c.socket.handshake.headers[name.lowercased()].map { .string($0) } ?? .null
        case .socketID: return .string(c.socket.id)
        case .namespace: return .string(c.socket.namespace.name)
        case .transport: return .string(c.socket.transport.rawValue)
        case .rooms: return .array(c.socket.rooms.sorted().map { .string($0) })
        case .socketCount: return .int(Int64(c.socket.namespace.socketCount))
        case .isConnected(let inner):
            guard case .string(let id) = evaluate(inner, c) else { return .bool(false) }
            return .bool(c.socket.namespace.socket(id: id) != nil)
        case .isConnectedIn(let namespace, let inner):
            guard case .string(let name) = evaluate(namespace, c), case .string(let id) = evaluate(inner, c),
                  let other = c.socket.namespace.server.namespace(named: name) else { return .bool(false) }
            return .bool(other.socket(id: id) != nil)
        case .object(let fields):
            return .object(JSONObject(fields.map { ($0.key, evaluate($0.value, c)) }))
        case .array(let items):
            return .array(items.map { evaluate($0, c) })
        }
    }

    static func holds(_ condition: Condition, _ c: Context) -> Bool {
        let actual = evaluate(condition.value, c)
        switch condition.test {
        case .equals(let expected): return actual == expected
        case .notEquals(let expected): return actual != expected
        case .exists: return actual != .null
        }
    }
}

/// The bare Engine.IO server of the protocol suite: every message goes back as it came.
final class EngineEcho: EngineSessionDelegate {
    func engineSession(_ session: EngineSession, didReceive data: EngineData) {
        session.send(EnginePacket(.message, data))
    }

    func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason) {}
}
