import ConsoleModel
import EngineIOProtocol
import SocketIOProtocol

/// A console state with the demo's shape: /, /admin guarded by `auth`, a regex parent with a child.
public enum Fixtures {
    public static let snapshot = ConsoleSnapshot(
        namespaces: [
            NamespaceInfo(name: "/", socketCount: 2, middleware: [MiddlewareInfo(name: "log")]),
            NamespaceInfo(name: "/admin", socketCount: 1, middleware: [MiddlewareInfo(name: "auth")]),
            NamespaceInfo(name: "/ws-42", parent: "/ws-\\w+/", socketCount: 1),
        ],
        parents: [ParentInfo(label: "/ws-\\w+/", middleware: [MiddlewareInfo(name: "gate")])],
        sockets: [
            SocketInfo(id: "AAAA1111", side: .server, namespace: "/", sid: "sidA", transport: .websocket, rooms: ["lobby"],
                       auth: #"{"user":"ada"}"#, connectedAt: 100),
            SocketInfo(id: "BBBB2222", side: .server, namespace: "/", sid: "sidB", connectedAt: 101),
            SocketInfo(id: "CCCC3333", side: .server, namespace: "/admin", sid: "sidC", connectedAt: 102),
            SocketInfo(id: "c1", side: .client, namespace: "/", sid: "sidA", transport: .websocket, connectedAt: 99,
                       note: "as AAAA1111"),
        ])

    public static func state(capacity: Int = 100) -> AppState {
        var state = AppState(endpoint: "srv 127.0.0.1:3000", scenario: "demo", themeNames: ["dark", "light", "mono"],
                             packetCapacity: capacity)
        _ = Reducer.reduce(&state, .snapshot(snapshot))
        return state
    }

    public static func event(_ name: String, _ args: [JSONValue] = [], nsp: String = "/", id: UInt64? = nil, sid: String = "sidA",
                      direction: TraceDirection = .inbound) -> TraceEvent {
        .socketPacket(side: .server, sid: sid, direction: direction, packet: .event(name, args, namespace: nsp, id: id))
    }

    public static func ack(_ args: [JSONValue], id: UInt64, nsp: String = "/", sid: String = "sidA", direction: TraceDirection) -> TraceEvent {
        .socketPacket(side: .server, sid: sid, direction: direction, packet: .ack(args, id: id, namespace: nsp))
    }

    public static func ping(sid: String = "sidA") -> TraceEvent {
        .enginePacket(side: .server, sid: sid, direction: .outbound, transport: .websocket, packet: .ping)
    }

    public static func decision(_ verdict: MiddlewareDecision.Verdict, forced: Bool = false) -> TraceEvent {
        .middleware(MiddlewareDecision(namespace: "/admin", socketID: "X", middleware: "auth", verdict: verdict, forced: forced,
                                       durationSeconds: 0.0001))
    }
}
