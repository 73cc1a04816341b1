import EngineIOProtocol
import SocketIOProtocol
import WireJSON

extension TraceEvent {
    /// The event's kind, as JSON lines name it.
    public var kind: String {
        switch self {
        case .engineOpened: return "engine.opened"
        case .enginePacket: return "engine.packet"
        case .engineUpgraded: return "engine.upgraded"
        case .engineClosed: return "engine.closed"
        case .engineRefused: return "engine.refused"
        case .socketPacket: return "socket.packet"
        case .namespaceCreated: return "namespace.created"
        case .namespaceRemoved: return "namespace.removed"
        case .socketConnected: return "socket.connected"
        case .socketDisconnected: return "socket.disconnected"
        case .roomJoined: return "room.joined"
        case .roomLeft: return "room.left"
        case .middleware: return "middleware"
        case .middlewareAdded: return "middleware.added"
        case .middlewareOverridden: return "middleware.overridden"
        case .ackRequested: return "ack.requested"
        case .ackAnswered: return "ack.answered"
        case .ackTimedOut: return "ack.timedOut"
        }
    }

    /// One JSON object per event: `kind`, `time` (seconds since 1970) and the event's fields.
    public func json(time: Double) -> JSONValue {
        var o = JSONObject()
        o["time"] = .double(Double(Int64(time * 1000)) / 1000)
        o["kind"] = .string(kind)
        switch self {
        case .engineOpened(let side, let sid, let transport, let remote):
            o["side"] = .string(side.rawValue); o["sid"] = .string(sid); o["transport"] = .string(transport.rawValue)
            if let remote { o["remote"] = .string(remote) }
        case .enginePacket(let side, let sid, let direction, let transport, let packet):
            o["side"] = .string(side.rawValue); o["sid"] = .string(sid); o["dir"] = .string(direction.rawValue)
            o["transport"] = .string(transport.rawValue); o["type"] = .string(packet.type.description)
            o["raw"] = .string(Self.raw(packet))
        case .engineUpgraded(let side, let sid):
            o["side"] = .string(side.rawValue); o["sid"] = .string(sid)
        case .engineClosed(let side, let sid, let reason):
            o["side"] = .string(side.rawValue); o["sid"] = .string(sid); o["reason"] = .string(reason)
        case .engineRefused(let side, let status, let code, let message, let remote):
            o["side"] = .string(side.rawValue); o["status"] = .int(Int64(status))
            if let code { o["code"] = .int(Int64(code)) }
            o["message"] = .string(message)
            if let remote { o["remote"] = .string(remote) }
        case .socketPacket(let side, let sid, let direction, let packet):
            o["side"] = .string(side.rawValue); o["sid"] = .string(sid); o["dir"] = .string(direction.rawValue)
            o["type"] = .string(packet.type.description); o["nsp"] = .string(packet.namespace)
            if let id = packet.id { o["id"] = .int(Int64(id)) }
            if let payload = packet.payload { o["data"] = payload }
        case .namespaceCreated(let name, let parent):
            o["nsp"] = .string(name)
            if let parent { o["parent"] = .string(parent) }
        case .namespaceRemoved(let name):
            o["nsp"] = .string(name)
        case .socketConnected(let side, let namespace, let socketID, let sid, let transport, let auth, let remote):
            o["side"] = .string(side.rawValue); o["nsp"] = .string(namespace); o["socket"] = .string(socketID); o["sid"] = .string(sid)
            o["transport"] = .string(transport.rawValue)
            if let auth { o["auth"] = .object(auth) }
            if let remote { o["remote"] = .string(remote) }
        case .roomJoined(let namespace, let socketID, let room), .roomLeft(let namespace, let socketID, let room):
            o["nsp"] = .string(namespace); o["socket"] = .string(socketID); o["room"] = .string(room)
        case .middlewareAdded(let scope, let middleware):
            o["nsp"] = .string(scope); o["middleware"] = .string(middleware)
        case .middlewareOverridden(let scope, let middleware, let override):
            o["nsp"] = .string(scope); o["middleware"] = .string(middleware)
            switch override {
            case nil: o["override"] = .null
            case .reject(let message, let data)?:
                o["override"] = "reject"; o["message"] = .string(message)
                if let data { o["data"] = data }
            case .delay(let ms)?:
                o["override"] = "delay"; o["ms"] = .int(Int64(ms))
            }
        case .socketDisconnected(let side, let namespace, let socketID, let reason):
            o["side"] = .string(side.rawValue); o["nsp"] = .string(namespace); o["socket"] = .string(socketID); o["reason"] = .string(reason)
        case .middleware(let d):
            o["nsp"] = .string(d.namespace); o["socket"] = .string(d.socketID); o["middleware"] = .string(d.middleware)
            switch d.verdict {
            case .allow: o["verdict"] = "allow"
            case .reject(let message, let data):
                o["verdict"] = "reject"; o["message"] = .string(message)
                if let data { o["data"] = data }
            }
            o["forced"] = .bool(d.forced)
            o["ms"] = .double(Double(Int64(d.durationSeconds * 1_000_000)) / 1000)
        case .ackRequested(let side, let namespace, let socketID, let id), .ackAnswered(let side, let namespace, let socketID, let id),
             .ackTimedOut(let side, let namespace, let socketID, let id):
            o["side"] = .string(side.rawValue); o["nsp"] = .string(namespace); o["socket"] = .string(socketID); o["id"] = .int(Int64(id))
        }
        return .object(o)
    }

    /// What an override does, in words.
    public static func overrideText(_ override: MiddlewareOverride?) -> String {
        switch override {
        case nil: return "back to its own rule"
        case .reject(let message, let data)?: return "forced to reject \"\(message)\"" + (data.map { " " + $0.jsonText } ?? "")
        case .delay(let ms)?: return "delayed \(ms) ms"
        }
    }

    /// The packet as it appears on the wire (binary as `b` + base64).
    public static func raw(_ packet: EnginePacket) -> String {
        var bytes: [UInt8] = []
        EngineCodec.appendText(of: packet, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One readable line: side, direction, the essentials.
    public var textLine: String {
        switch self {
        case .engineOpened(let side, let sid, let transport, let remote):
            return "\(side.rawValue) EIO open      \(sid) \(transport.rawValue)\(remote.map { " from " + $0 } ?? "")"
        case .enginePacket(let side, let sid, let direction, let transport, let packet):
            return "\(side.rawValue) EIO \(direction == .inbound ? "in " : "out") \(transport.rawValue.padding(9)) \(sid) \(Self.raw(packet).clipped(120))"
        case .engineUpgraded(let side, let sid):
            return "\(side.rawValue) EIO upgraded  \(sid) to websocket"
        case .engineClosed(let side, let sid, let reason):
            return "\(side.rawValue) EIO closed    \(sid) (\(reason))"
        case .engineRefused(let side, let status, let code, let message, let remote):
            return "\(side.rawValue) EIO refused   \(status)\(code.map { " code \($0)" } ?? "") \(message)\(remote.map { " from " + $0 } ?? "")"
        case .socketPacket(let side, let sid, let direction, let packet):
            var line = "\(side.rawValue) SIO \(direction == .inbound ? "in " : "out") \(packet.namespace) \(packet.type)"
            if let id = packet.id { line += " id=\(id)" }
            if let payload = packet.payload { line += " " + payload.jsonText.clipped(120) }
            return line + " [\(sid)]"
        case .namespaceCreated(let name, let parent):
            return "namespace created \(name)\(parent.map { " (child of \($0))" } ?? "")"
        case .namespaceRemoved(let name):
            return "namespace removed \(name)"
        case .socketConnected(let side, let namespace, let socketID, let sid, let transport, _, _):
            return "\(side.rawValue) socket connected    \(namespace) \(socketID) [\(sid)] \(transport.rawValue)"
        case .roomJoined(let namespace, let socketID, let room):
            return "server room joined  \(namespace) \(socketID) \(room)"
        case .roomLeft(let namespace, let socketID, let room):
            return "server room left    \(namespace) \(socketID) \(room)"
        case .middlewareAdded(let scope, let middleware):
            return "middleware added \(scope) \(middleware)"
        case .middlewareOverridden(let scope, let middleware, let override):
            return "middleware \(scope) \(middleware): " + Self.overrideText(override)
        case .socketDisconnected(let side, let namespace, let socketID, let reason):
            return "\(side.rawValue) socket disconnected \(namespace) \(socketID) (\(reason))"
        case .middleware(let d):
            let verdict: String
            switch d.verdict {
            case .allow: verdict = "allow"
            case .reject(let message, let data): verdict = "reject \"\(message)\"" + (data.map { " " + $0.jsonText } ?? "")
            }
            return "middleware \(d.namespace) \(d.middleware): \(verdict)\(d.forced ? " (forced)" : "") for \(d.socketID)"
        case .ackRequested(let side, let namespace, let socketID, let id):
            return "\(side.rawValue) ack requested \(namespace) \(socketID) id=\(id)"
        case .ackAnswered(let side, let namespace, let socketID, let id):
            return "\(side.rawValue) ack answered  \(namespace) \(socketID) id=\(id)"
        case .ackTimedOut(let side, let namespace, let socketID, let id):
            return "\(side.rawValue) ack timed out \(namespace) \(socketID) id=\(id)"
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    fileprivate func clipped(_ limit: Int) -> String { count <= limit ? self : String(prefix(limit - 1)) + "…" }
}
