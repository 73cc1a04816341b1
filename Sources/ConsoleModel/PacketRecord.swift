import EngineIOProtocol
import SocketIOProtocol
import SocketIOTrace
import WireJSON

/// One row of the packets pane: an Engine.IO or Socket.IO packet, or a lifecycle moment (session
/// opened, upgraded, socket connected), with what the filter and the columns need precomputed.
public struct PacketRecord: Sendable {
    public enum Layer: String, Sendable {
        case engine = "EIO"
        case socket = "SIO"
        /// Not a packet: a session or socket changing state.
        case lifecycle = "·"
    }

    public var seq: Int
    public var time: Double
    public var side: TraceSide
    public var direction: TraceDirection?
    public var layer: Layer
    public var sid: String
    public var transport: TraceTransport?
    public var namespace: String?
    /// `message`, `ping`, `EVENT`, `CONNECT_ERROR`, or a lifecycle word (`connected`, `upgraded`).
    public var type: String
    public var eventName: String?
    public var ackID: UInt64?
    /// The payload or detail, one line, clipped. Computed when shown (a few rows per frame), not
    /// for every packet of a flood.
    public var summary: String { Self.summary(of: event) }
    public var isError: Bool
    public var attachments: Int
    /// The other end of an ack: on an emit, the ACK that answered it; on an ACK, the emit.
    public var linkedSeq: Int?
    /// Bytes on the wire (text length or binary size), an estimate for lifecycle rows.
    public var size: Int
    /// The trace event itself, for the detail view and for saving.
    public var event: TraceEvent

    static let summaryLimit = 240

    /// The record for a trace event, or nil for events shown elsewhere (middleware decisions).
    public init?(_ event: TraceEvent, seq: Int, time: Double) {
        self.seq = seq
        self.time = time
        self.event = event
        direction = nil
        transport = nil
        namespace = nil
        eventName = nil
        ackID = nil
        isError = false
        attachments = 0
        linkedSeq = nil
        switch event {
        case .enginePacket(let side, let sid, let dir, let transport, let packet):
            self.side = side; self.sid = sid; direction = dir; self.transport = transport
            layer = .engine
            type = packet.type.description
            switch packet.data {
            case .text(let text)?: size = text.utf8.count + 1
            case .binary(let bytes)?: size = bytes.count
            case nil: size = 1
            }
            isError = packet.type == .close
        case .socketPacket(let side, let sid, let dir, let packet):
            self.side = side; self.sid = sid; direction = dir
            layer = .socket
            namespace = packet.namespace
            type = packet.type.description
            ackID = packet.id
            if packet.type.isEvent, case .array(let args)? = packet.payload, case .string(let name)? = args.first {
                eventName = name
            }
            attachments = packet.type.isBinary ? (packet.payload.map(Self.countBinary) ?? 0) : 0
            size = 16   // the Engine.IO record of the same message carries the real size
            isError = packet.type == .connectError
        case .engineOpened(let side, let sid, let transport, _):
            self.side = side; self.sid = sid; self.transport = transport
            layer = .lifecycle; type = "open"; size = 0
        case .engineUpgraded(let side, let sid):
            self.side = side; self.sid = sid; transport = .websocket
            layer = .lifecycle; type = "upgraded"; size = 0
        case .engineClosed(let side, let sid, _):
            self.side = side; self.sid = sid
            layer = .lifecycle; type = "closed"; size = 0
        case .engineRefused(let side, _, _, _, _):
            self.side = side; sid = "-"
            layer = .lifecycle; type = "refused"; size = 0; isError = true
        case .socketConnected(let side, let nsp, _, let sid):
            self.side = side; self.sid = sid; namespace = nsp
            layer = .lifecycle; type = "connected"; size = 0
        case .socketDisconnected(let side, let nsp, let socketID, _):
            self.side = side; sid = socketID; namespace = nsp
            layer = .lifecycle; type = "disconnected"; size = 0
        case .namespaceCreated(let name, _):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; type = "namespace"; size = 0
        case .namespaceRemoved(let name):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; type = "namespace"; size = 0
        case .ackTimedOut(let side, let nsp, let socketID, let id):
            self.side = side; sid = socketID; namespace = nsp; ackID = id
            layer = .lifecycle; type = "ack-timeout"; size = 0; isError = true
        case .middleware, .ackRequested, .ackAnswered:
            return nil
        }
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
        case .socketConnected(_, let nsp, let socketID, _):
            return "socket \(socketID) joined \(nsp)"
        case .socketDisconnected(_, let nsp, let socketID, let reason):
            return "socket \(socketID) left \(nsp): \(reason)"
        case .namespaceCreated(let name, let parent):
            return "namespace \(name) created" + (parent.map { " (child of \($0))" } ?? "")
        case .namespaceRemoved(let name):
            return "namespace \(name) removed"
        case .ackTimedOut(_, _, let socketID, let id):
            return "no ack #\(id) from \(socketID) in time"
        case .middleware, .ackRequested, .ackAnswered:
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
    public var time: Double
    public var decision: MiddlewareDecision
}
