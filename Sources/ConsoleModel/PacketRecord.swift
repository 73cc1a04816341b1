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
    /// The payload or detail, one line, clipped.
    public var summary: String
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
            let raw = TraceEvent.raw(packet)
            summary = Self.clip(raw)
            size = packet.data.map { if case .binary(let b) = $0 { b.count } else { raw.utf8.count } } ?? 1
            isError = packet.type == .close
        case .socketPacket(let side, let sid, let dir, let packet):
            self.side = side; self.sid = sid; direction = dir
            layer = .socket
            namespace = packet.namespace
            type = packet.type.description
            ackID = packet.id
            var text = ""
            if packet.type.isEvent, case .array(let args)? = packet.payload, case .string(let name)? = args.first {
                eventName = name
                text = args.dropFirst().map { Self.compact($0) }.joined(separator: " ")
            } else if case .array(let args)? = packet.payload {
                text = args.map { Self.compact($0) }.joined(separator: " ")
            } else if let payload = packet.payload {
                text = Self.compact(payload)
            }
            summary = Self.clip(text)
            attachments = packet.payload.map(Self.countBinary) ?? 0
            size = text.utf8.count + 4
            isError = packet.type == .connectError
        case .engineOpened(let side, let sid, let transport, let remote):
            self.side = side; self.sid = sid; self.transport = transport
            layer = .lifecycle; type = "open"; size = 0
            summary = "session opened over \(transport.rawValue)" + (remote.map { " from \($0)" } ?? "")
        case .engineUpgraded(let side, let sid):
            self.side = side; self.sid = sid; transport = .websocket
            layer = .lifecycle; type = "upgraded"; size = 0
            summary = "transport upgraded to websocket"
        case .engineClosed(let side, let sid, let reason):
            self.side = side; self.sid = sid
            layer = .lifecycle; type = "closed"; size = 0
            summary = "session closed: \(reason)"
        case .engineRefused(let side, let status, let code, let message, let remote):
            self.side = side; sid = "-"
            layer = .lifecycle; type = "refused"; size = 0; isError = true
            summary = "HTTP \(status)" + (code.map { " code \($0)" } ?? "") + ": \(message)" + (remote.map { " from \($0)" } ?? "")
        case .socketConnected(let side, let nsp, let socketID, let sid):
            self.side = side; self.sid = sid; namespace = nsp
            layer = .lifecycle; type = "connected"; size = 0
            summary = "socket \(socketID) joined \(nsp)"
        case .socketDisconnected(let side, let nsp, let socketID, let reason):
            self.side = side; sid = socketID; namespace = nsp
            layer = .lifecycle; type = "disconnected"; size = 0
            summary = "socket \(socketID) left \(nsp): \(reason)"
        case .namespaceCreated(let name, let parent):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; type = "namespace"; size = 0
            summary = "namespace \(name) created" + (parent.map { " (child of \($0))" } ?? "")
        case .namespaceRemoved(let name):
            side = .server; sid = "-"; namespace = name
            layer = .lifecycle; type = "namespace"; size = 0
            summary = "namespace \(name) removed"
        case .ackTimedOut(let side, let nsp, let socketID, let id):
            self.side = side; sid = socketID; namespace = nsp; ackID = id
            layer = .lifecycle; type = "ack-timeout"; size = 0; isError = true
            summary = "no ack #\(id) from \(socketID) in time"
        case .middleware, .ackRequested, .ackAnswered:
            return nil
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
