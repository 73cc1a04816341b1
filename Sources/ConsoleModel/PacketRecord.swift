import EngineIOProtocol
import SocketIOProtocol
import SocketIOTrace
import WireJSON

/// One row of the packets pane: an Engine.IO or Socket.IO packet, or a lifecycle moment (session
/// opened, upgraded, socket connected), with what the filter and the columns need precomputed.
/// Immutable and shared (a class): under a flood the ring moves references, not copies.
public final class PacketRecord: Sendable {
    public enum Layer: String, Sendable {
        case engine = "EIO"
        case socket = "SIO"
        /// Not a packet: a session or socket changing state.
        case lifecycle = "·"
    }

    public let seq: Int
    public let time: Double
    public let side: TraceSide
    public let direction: TraceDirection?
    public let layer: Layer
    public let sid: String
    public let transport: TraceTransport?
    public let namespace: String?
    /// `message`, `ping`, `EVENT`, `CONNECT_ERROR`, or a lifecycle word (`connected`, `upgraded`).
    public let kind: PacketKind
    /// The kind as shown (`EVENT`, `ping`, `connected`).
    public var type: String { kind.label }
    public let eventName: String?
    public let ackID: UInt64?
    /// The payload or detail, one line, clipped. Computed when shown (a few rows per frame), not
    /// for every packet of a flood.
    public var summary: String { Self.summary(of: event) }
    public let isError: Bool
    public let attachments: Int
    /// Bytes on the wire (text length or binary size), an estimate for lifecycle rows.
    public let size: Int
    /// The trace event itself, for the detail view and for saving.
    public let event: TraceEvent

    static let summaryLimit = 240

    /// The record for a trace event, or nil for events shown elsewhere (middleware decisions).
    public init?(_ event: TraceEvent, seq: Int, time: Double) {
        self.seq = seq
        self.time = time
        self.event = event
        var direction: TraceDirection? = nil
        var transport: TraceTransport? = nil
        var namespace: String? = nil
        var eventName: String? = nil
        var ackID: UInt64? = nil
        var isError = false
        var attachments = 0
        let side: TraceSide, sid: String, layer: Layer, kind: PacketKind, size: Int
        switch event {
        case .enginePacket(let s, let i, let dir, let t, let packet):
            (side, sid, direction, transport) = (s, i, dir, t)
            layer = .engine
            kind = .engine(packet.type)
            switch packet.data {
            case .text(let text)?: size = text.utf8.count + 1
            case .binary(let bytes)?: size = bytes.count
            case nil: size = 1
            }
            isError = packet.type == .close
        case .socketPacket(let s, let i, let dir, let packet):
            (side, sid, direction) = (s, i, dir)
            layer = .socket
            namespace = packet.namespace
            kind = .socket(packet.type)
            ackID = packet.id
            if packet.type.isEvent, case .array(let args)? = packet.payload, case .string(let name)? = args.first {
                eventName = name
            }
            attachments = packet.type.isBinary ? (packet.payload.map(PacketRecord.countBinary) ?? 0) : 0
            size = 16   // the Engine.IO record of the same message carries the real size
            isError = packet.type == .connectError
        case .engineOpened(let s, let i, let t, _):
            (side, sid, transport) = (s, i, t)
            layer = .lifecycle; kind = .lifecycle(.open); size = 0
        case .engineUpgraded(let s, let i):
            (side, sid, transport) = (s, i, .websocket)
            layer = .lifecycle; kind = .lifecycle(.upgraded); size = 0
        case .engineClosed(let s, let i, _):
            (side, sid) = (s, i)
            layer = .lifecycle; kind = .lifecycle(.closed); size = 0
        case .engineRefused(let s, _, _, _, _):
            (side, sid) = (s, "-")
            layer = .lifecycle; kind = .lifecycle(.refused); size = 0; isError = true
        case .socketConnected(let s, let nsp, _, let i, _, _, _):
            (side, sid, namespace) = (s, i, nsp)
            layer = .lifecycle; kind = .lifecycle(.connected); size = 0
        case .socketDisconnected(let s, let nsp, let socketID, _):
            (side, sid, namespace) = (s, socketID, nsp)
            layer = .lifecycle; kind = .lifecycle(.disconnected); size = 0
        case .namespaceCreated(let name, _):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; kind = .lifecycle(.namespace); size = 0
        case .namespaceRemoved(let name):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; kind = .lifecycle(.namespace); size = 0
        case .ackTimedOut(let s, let nsp, let socketID, let id):
            (side, sid, namespace, ackID) = (s, socketID, nsp, id)
            layer = .lifecycle; kind = .lifecycle(.ackTimeout); size = 0; isError = true
        case .middleware, .ackRequested, .ackAnswered, .roomJoined, .roomLeft, .middlewareAdded, .middlewareOverridden:
            return nil
        }
        self.side = side
        self.sid = sid
        self.layer = layer
        self.kind = kind
        self.size = size
        self.direction = direction
        self.transport = transport
        self.namespace = namespace
        self.eventName = eventName
        self.ackID = ackID
        self.isError = isError
        self.attachments = attachments
    }

    static func summary(of event: TraceEvent) -> String {
        switch event {
        case .enginePacket(_, _, _, _, let packet):
            return clip(TraceEvent.raw(packet))
        case .socketPacket(_, _, _, let packet):
            if packet.type.isEvent, case .array(let args)? = packet.payload, case .string? = args.first {
                return clip(args.dropFirst().map { compact($0) }.joined(separator: " "))
            } else if case .array(let args)? = packet.payload {
                return clip(args.map { compact($0) }.joined(separator: " "))
            }
            return packet.payload.map(compact) ?? ""
        case .engineOpened(_, _, let transport, let remote):
            return "session opened over \(transport.rawValue)" + (remote.map { " from \($0)" } ?? "")
        case .engineUpgraded:
            return "transport upgraded to websocket"
        case .engineClosed(_, _, let reason):
            return "session closed: \(reason)"
        case .engineRefused(_, let status, let code, let message, let remote):
            return "HTTP \(status)" + (code.map { " code \($0)" } ?? "") + ": \(message)" + (remote.map { " from \($0)" } ?? "")
        case .socketConnected(_, let nsp, let socketID, _, _, _, _):
            return "socket \(socketID) joined \(nsp)"
        case .socketDisconnected(_, let nsp, let socketID, let reason):
            return "socket \(socketID) left \(nsp): \(reason)"
        case .namespaceCreated(let name, let parent):
            return "namespace \(name) created" + (parent.map { " (child of \($0))" } ?? "")
        case .namespaceRemoved(let name):
            return "namespace \(name) removed"
        case .ackTimedOut(_, _, let socketID, let id):
            return "no ack #\(id) from \(socketID) in time"
        case .middleware, .ackRequested, .ackAnswered, .roomJoined, .roomLeft, .middlewareAdded, .middlewareOverridden:
            return ""
        }
    }

    static func compact(_ value: JSONValue) -> String {
        if case .binary(let bytes) = value { return "<binary \(bytes.count) B>" }
        return clip(value.jsonText)
    }

    static func clip(_ text: String) -> String {
        text.count <= summaryLimit ? text : String(text.prefix(summaryLimit - 1)) + "…"
    }

    static func countBinary(_ value: JSONValue) -> Int {
        switch value {
        case .binary: return 1
        case .array(let items): return items.reduce(0) { $0 + countBinary($1) }
        case .object(let object): return object.entries.reduce(0) { $0 + countBinary($1.value) }
        default: return 0
        }
    }

    /// What links an emit asking for an ack to the ACK answering it.
    struct AckKey: Hashable {
        var sid: String
        var namespace: String
        var id: UInt64
        /// The emitter's direction: an inbound emit is answered outbound.
        var emitDirection: TraceDirection
        var side: TraceSide
    }
}

/// One step of a middleware chain, as the decisions pane lists it.
public struct DecisionRecord: Sendable, Hashable {
    public let time: Double
    public var decision: MiddlewareDecision
}
