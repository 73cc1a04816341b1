import ConsoleModel
import ConsoleTestSupport
import EngineIOProtocol
import SocketIOProtocol

/// A state with one of everything the panes show.
enum Scenes {
    static func rich() -> AppState {
        var state = Fixtures.state()
        let t = 3_600.0 * 12 + 61
        _ = Reducer.reduce(&state, .trace([
            .engineOpened(side: .server, sid: "sidA", transport: .polling, remoteAddress: "127.0.0.1:50000"),
            .socketPacket(side: .server, sid: "sidA", direction: .inbound, packet: .connect(namespace: "/admin", auth: ["token": "x"])),
            Fixtures.decision(.allow),
            Fixtures.decision(.reject(message: "forbidden", data: ["reason": "no token"]), forced: true),
            .socketPacket(side: .server, sid: "sidA", direction: .outbound,
                          packet: SocketPacket(type: .connectError, namespace: "/admin", payload: ["message": "forbidden"])),
            Fixtures.event("delete user", [7], nsp: "/", id: 12),
            Fixtures.ack(["ok", 7], id: 12, direction: .outbound),
            .socketPacket(side: .server, sid: "sidB", direction: .inbound,
                          packet: SocketPacket(type: .binaryEvent, namespace: "/", payload: ["upload", .binary([1, 2, 3, 4])])),
            Fixtures.ping(sid: "sidB"),
            .engineUpgraded(side: .server, sid: "sidA"),
        ], time: t))
        _ = Reducer.reduce(&state, .report(StatusMessage("c1 connected to / as AAAA1111")))
        return state
    }
}
