import ConsoleModel
import ConsoleTestSupport
import SocketIOTrace
import Testing
import WireJSON

/// The namespaces, sockets and middleware panes follow the trace: one row per event that changes
/// what the cores look like, applied to a starting snapshot, then applied again (a reconciliation
/// can land between any two events, so every change must be idempotent).
@Suite struct SnapshotTraceTests {
    static let base = ConsoleSnapshot(
        namespaces: [NamespaceInfo(name: "/", socketCount: 1, middleware: [MiddlewareInfo(name: "auth")])],
        parents: [ParentInfo(label: "/^\\/ws-\\d+$/", middleware: [MiddlewareInfo(name: "ws")])],
        sockets: [SocketInfo(id: "A", side: .server, namespace: "/", sid: "S1", rooms: ["lobby"]),
                  SocketInfo(id: "c1", side: .client, namespace: "/", sid: "S1", state: .connected)])

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var event: TraceEvent
        var expected: @Sendable (inout ConsoleSnapshot) -> Void
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "a namespace created", event: .namespaceCreated(name: "/ws-1", parent: "/^\\/ws-\\d+$/")) {
            $0.namespaces.append(NamespaceInfo(name: "/ws-1", parent: "/^\\/ws-\\d+$/"))
        },
        Row(name: "a namespace removed takes its server sockets", event: .namespaceRemoved(name: "/")) {
            $0.namespaces = []
            $0.sockets.removeFirst()
        },
        Row(name: "a server socket connected, with its details",
            event: .socketConnected(side: .server, namespace: "/", socketID: "B", sid: "S2", transport: .websocket,
                                    auth: ["token": "t"], remoteAddress: "127.0.0.1:5000")) {
            $0.namespaces[0].socketCount = 2
            $0.sockets.append(SocketInfo(id: "B", side: .server, namespace: "/", sid: "S2", transport: .websocket,
                                         auth: #"{"token":"t"}"#, connectedAt: 9, remoteAddress: "127.0.0.1:5000"))
        },
        Row(name: "a server socket on a namespace not listed yet lists it",
            event: .socketConnected(side: .server, namespace: "/late", socketID: "C", sid: "S3", transport: .polling,
                                    auth: nil, remoteAddress: nil)) {
            $0.namespaces.append(NamespaceInfo(name: "/late", socketCount: 1))
            $0.sockets.append(SocketInfo(id: "C", side: .server, namespace: "/late", sid: "S3", connectedAt: 9))
        },
        Row(name: "a client's own connect is its runtime's to report",
            event: .socketConnected(side: .client, namespace: "/", socketID: "A", sid: "S1", transport: .polling,
                                    auth: nil, remoteAddress: nil)) { _ in },
        Row(name: "a server socket disconnected", event: .socketDisconnected(side: .server, namespace: "/", socketID: "A", reason: "x")) {
            $0.namespaces[0].socketCount = 0
            $0.sockets.removeFirst()
        },
        Row(name: "an upgrade moves both ends of the session to websocket", event: .engineUpgraded(side: .server, sid: "S1")) {
            $0.sockets[0].transport = .websocket
            $0.sockets[1].transport = .websocket
        },
        Row(name: "a room joined, kept sorted", event: .roomJoined(namespace: "/", socketID: "A", room: "alpha")) {
            $0.sockets[0].rooms = ["alpha", "lobby"]
        },
        Row(name: "a room left", event: .roomLeft(namespace: "/", socketID: "A", room: "lobby")) {
            $0.sockets[0].rooms = []
        },
        Row(name: "a room of another namespace's socket", event: .roomJoined(namespace: "/other", socketID: "A", room: "x")) { _ in },
        Row(name: "a middleware added to a namespace", event: .middlewareAdded(scope: "/", middleware: "rate")) {
            $0.namespaces[0].middleware.append(MiddlewareInfo(name: "rate"))
        },
        Row(name: "a middleware added to a parent", event: .middlewareAdded(scope: "/^\\/ws-\\d+$/", middleware: "log")) {
            $0.parents[0].middleware.append(MiddlewareInfo(name: "log"))
        },
        Row(name: "a forced refusal", event: .middlewareOverridden(scope: "/", middleware: "auth",
                                                                   override: .reject(message: "no", data: ["code": 7]))) {
            $0.namespaces[0].middleware[0].forced = .reject(message: "no", data: ["code": 7])
        },
        Row(name: "a parent's middleware delayed", event: .middlewareOverridden(scope: "/^\\/ws-\\d+$/", middleware: "ws",
                                                                               override: .delay(milliseconds: 300))) {
            $0.parents[0].middleware[0].forced = .delay(milliseconds: 300)
        },
        Row(name: "an override of a scope not listed waits for the reconciliation",
            event: .middlewareOverridden(scope: "/nowhere", middleware: "auth", override: nil)) { _ in },
        Row(name: "packets change nothing here", event: .engineClosed(side: .server, sid: "S1", reason: "x")) { _ in },
    ]

    @Test(arguments: rows)
    func eachEventChangesTheSnapshotOnce(_ row: Row) {
        var expected = Self.base
        row.expected(&expected)
        var snapshot = Self.base
        let changed = snapshot.apply(row.event, time: 9)
        #expect(snapshot == expected)
        #expect(changed == (expected != Self.base))
        let changedAgain = snapshot.apply(row.event, time: 10)
        #expect(!changedAgain, "applied twice, nothing more changes")
        #expect(snapshot == expected)
    }

    @Test func theReducerAppliesThemPausedOrNotAndKeepsSelectionsInRange() {
        var state = Fixtures.state()
        state.snapshot = Self.base
        _ = Reducer.reduce(&state, .togglePause)
        state.focus = .sockets
        state.selection[.sockets] = 1
        _ = Reducer.reduce(&state, .trace([.socketDisconnected(side: .server, namespace: "/", socketID: "A", reason: "x"),
                                           .roomJoined(namespace: "/", socketID: "A", room: "late")], time: 1))
        #expect(state.snapshot.sockets.map(\.id) == ["c1"])
        #expect(state.selection[.sockets] == 0)
        #expect(state.packets.count == 0, "paused: no packet rows")
    }

    @Test func clientRowsComeFromTheirRuntimeAndCountNamespacesWhenAttached() {
        var state = Fixtures.state()
        state.hasServer = false
        state.snapshot = ConsoleSnapshot()
        _ = Reducer.reduce(&state, .clientChanged(SocketInfo(id: "c1", side: .client, namespace: "/chat", state: .connecting)))
        #expect(state.snapshot.namespaces == [NamespaceInfo(name: "/chat", socketCount: 0)])
        _ = Reducer.reduce(&state, .clientChanged(SocketInfo(id: "c1", side: .client, namespace: "/chat", state: .connected, note: "as X")))
        #expect(state.snapshot.namespaces == [NamespaceInfo(name: "/chat", socketCount: 1)])
        #expect(state.snapshot.sockets.map(\.note) == ["as X"])
        _ = Reducer.reduce(&state, .clientGone(name: "c1"))
        #expect(state.snapshot.sockets.isEmpty && state.snapshot.namespaces.isEmpty)
    }

    @Test func withAServerClientChangesLeaveTheNamespacesToTheServer() {
        var state = Fixtures.state()
        state.snapshot = Self.base
        _ = Reducer.reduce(&state, .clientChanged(SocketInfo(id: "c2", side: .client, namespace: "/admin", state: .refused)))
        #expect(state.snapshot.namespaces == Self.base.namespaces)
        #expect(state.snapshot.sockets.last?.id == "c2")
    }
}
