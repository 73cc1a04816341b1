import EngineIOProtocol
import SocketIOProtocol
import WireJSON

extension TraceEvent {
    /// The event with the CONNECT auth a client sent replaced by `"[redacted]"` values (the keys
    /// stay, so the shape is still visible): in the decoded packet, in its Engine.IO frame and in
    /// the connected socket's record. For traces shown on a shared screen or saved to a file.
    public var redacted: TraceEvent {
        switch self {
        case .socketPacket(let side, let sid, let direction, let packet) where Self.carriesAuth(side, direction):
            return .socketPacket(side: side, sid: sid, direction: direction, packet: Self.redact(packet))
        case .enginePacket(let side, let sid, let direction, let transport, let packet) where Self.carriesAuth(side, direction):
            guard case .text(let text)? = packet.data, text.hasPrefix("0") else { return self }
            var decoder = SocketPacketDecoder()
            guard case .packet(let decoded)? = try? decoder.decode(text: text), decoded.type == .connect,
                  let encoded = try? SocketPacketEncoder.encode(Self.redact(decoded)) else { return self }
            return .enginePacket(side: side, sid: sid, direction: direction, transport: transport, packet: .message(encoded.text))
        case .socketConnected(let side, let namespace, let socketID, let sid, let transport, let auth?, let remote):
            return .socketConnected(side: side, namespace: namespace, socketID: socketID, sid: sid, transport: transport,
                                    auth: Self.redact(auth), remoteAddress: remote)
        default:
            return self
        }
    }

    /// A CONNECT carries auth from the client to the server: inbound on the server, outbound on the client.
    static func carriesAuth(_ side: TraceSide, _ direction: TraceDirection) -> Bool {
        (side == .server) == (direction == .inbound)
    }

    static func redact(_ packet: SocketPacket) -> SocketPacket {
        guard packet.type == .connect, case .object(let auth)? = packet.payload else { return packet }
        var copy = packet
        copy.payload = .object(redact(auth))
        return copy
    }

    public static func redact(_ object: JSONObject) -> JSONObject {
        JSONObject(object.entries.map { ($0.key, "[redacted]") })
    }
}

/// Passes events on with the auth redacted.
public struct RedactingTraceSink: TraceSink {
    let inner: any TraceSink
    public init(_ inner: any TraceSink) { self.inner = inner }
    public func record(_ event: TraceEvent) { inner.record(event.redacted) }
}
