import ConsoleModel
import EngineIOProtocol
import SocketIOProtocol
import Testing

/// `--redact`: the auth a client sends keeps its keys and loses its values, in the decoded packet
/// and in the raw frame; nothing else changes.
@Suite struct RedactionTests {
    let auth: JSONObject = ["token": "secret", "user": "ada"]

    @Test func connectAuthIsRedactedInBothLayers() {
        let packet = TraceEvent.socketPacket(side: .server, sid: "s", direction: .inbound, packet: .connect(namespace: "/admin", auth: auth))
        guard case .socketPacket(_, _, _, let redacted) = packet.redacted else { Issue.record("not a packet"); return }
        #expect(redacted.payload == ["token": "[redacted]", "user": "[redacted]"])
        #expect(redacted.namespace == "/admin")
        let frame = TraceEvent.enginePacket(side: .server, sid: "s", direction: .inbound, transport: .websocket,
                                            packet: .message(#"0/admin,{"token":"secret","user":"ada"}"#))
        guard case .enginePacket(_, _, _, _, let raw) = frame.redacted else { Issue.record("not a frame"); return }
        #expect(raw.text == #"0/admin,{"token":"[redacted]","user":"[redacted]"}"#)
    }

    @Test func onlyWhatTheClientSendsIsTouched() {
        // The server's CONNECT answer (its sid) and ordinary events stay as they are.
        let answer = TraceEvent.socketPacket(side: .server, sid: "s", direction: .outbound, packet: .connect(auth: ["sid": "abc"]))
        guard case .socketPacket(_, _, _, let kept) = answer.redacted else { Issue.record("not a packet"); return }
        #expect(kept.payload == ["sid": "abc"])
        let event = TraceEvent.enginePacket(side: .server, sid: "s", direction: .inbound, transport: .polling,
                                            packet: .message(#"2["token","secret"]"#))
        guard case .enginePacket(_, _, _, _, let raw) = event.redacted else { Issue.record("not a frame"); return }
        #expect(raw.text == #"2["token","secret"]"#)
        // On the client side the CONNECT goes out.
        let client = TraceEvent.socketPacket(side: .client, sid: "s", direction: .outbound, packet: .connect(auth: auth))
        guard case .socketPacket(_, _, _, let sent) = client.redacted else { Issue.record("not a packet"); return }
        #expect(sent.payload == ["token": "[redacted]", "user": "[redacted]"])
    }
}
