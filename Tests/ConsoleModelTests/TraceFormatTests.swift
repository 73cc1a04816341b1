import ConsoleModel
import SocketIOProtocol
import SocketIOTrace
import Testing
import WireJSON

/// The JSON lines `serve --trace json` and `:save` write, for the events that change what the
/// cores look like.
@Suite struct TraceFormatTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var event: TraceEvent
        var json: String
        var text: String
        var testDescription: String { event.kind }
    }

    static let rows: [Row] = [
        Row(event: .roomJoined(namespace: "/", socketID: "A", room: "lobby"),
            json: #"{"time":1.5,"kind":"room.joined","nsp":"/","socket":"A","room":"lobby"}"#,
            text: "server room joined  / A lobby"),
        Row(event: .roomLeft(namespace: "/", socketID: "A", room: "lobby"),
            json: #"{"time":1.5,"kind":"room.left","nsp":"/","socket":"A","room":"lobby"}"#,
            text: "server room left    / A lobby"),
        Row(event: .middlewareAdded(scope: "/admin", middleware: "auth"),
            json: #"{"time":1.5,"kind":"middleware.added","nsp":"/admin","middleware":"auth"}"#,
            text: "middleware added /admin auth"),
        Row(event: .middlewareOverridden(scope: "/admin", middleware: "auth", override: .reject(message: "no", data: ["code": 7])),
            json: #"{"time":1.5,"kind":"middleware.overridden","nsp":"/admin","middleware":"auth","override":"reject","message":"no","data":{"code":7}}"#,
            text: #"middleware /admin auth: forced to reject "no" {"code":7}"#),
        Row(event: .middlewareOverridden(scope: "/admin", middleware: "auth", override: .delay(milliseconds: 300)),
            json: #"{"time":1.5,"kind":"middleware.overridden","nsp":"/admin","middleware":"auth","override":"delay","ms":300}"#,
            text: "middleware /admin auth: delayed 300 ms"),
        Row(event: .middlewareOverridden(scope: "/admin", middleware: "auth", override: nil),
            json: #"{"time":1.5,"kind":"middleware.overridden","nsp":"/admin","middleware":"auth","override":null}"#,
            text: "middleware /admin auth: back to its own rule"),
        Row(event: .socketConnected(side: .server, namespace: "/", socketID: "A", sid: "S", transport: .websocket,
                                    auth: ["token": "t"], remoteAddress: "127.0.0.1:9"),
            json: #"{"time":1.5,"kind":"socket.connected","side":"server","nsp":"/","socket":"A","sid":"S","transport":"websocket","auth":{"token":"t"},"remote":"127.0.0.1:9"}"#,
            text: "server socket connected    / A [S] websocket"),
    ]

    @Test(arguments: rows)
    func jsonAndText(_ row: Row) {
        #expect(row.event.json(time: 1.5).jsonText == row.json)
        #expect(row.event.textLine == row.text)
    }

    @Test func aConnectedSocketsAuthIsRedactedToo() {
        let event = TraceEvent.socketConnected(side: .server, namespace: "/", socketID: "A", sid: "S", transport: .polling,
                                               auth: ["token": "t"], remoteAddress: nil)
        guard case .socketConnected(_, _, _, _, _, let auth, _) = event.redacted else { Issue.record("not a connect"); return }
        #expect(auth == ["token": "[redacted]"])
    }

    @Test func anEmitWithAttachmentsIsTracedAsItsWireFormNamesIt() {
        let event = SocketPacket.event("echo", [.binary([1, 2])])
        #expect(event.asSent(attachments: 1).type == .binaryEvent)
        #expect(event.asSent(attachments: 0).type == .event)
        #expect(SocketPacket.ack([.binary([1])], id: 3).asSent(attachments: 1).type == .binaryAck)
    }
}
