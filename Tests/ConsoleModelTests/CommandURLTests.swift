import ConsoleModel
import Testing

/// `:connect` takes a URL as socket.io-client reads it: the path is the namespace.
@Suite("console :connect with a URL")
struct CommandURLTests {
    @Test("the URL's path is the namespace", arguments: [
        ("connect http://localhost:3000/admin", "/admin"),
        ("connect http://localhost:3000", "/"),
        ("connect ws://localhost:3000/ws-7?x=1 --transport websocket", "/ws-7"),
        ("connect /chat", "/chat"),
    ])
    func connectURL(_ line: String, _ namespace: String) throws {
        guard case .spawn(_, let parsed, _, _, _) = try CommandParser.parse(line) else { Issue.record("not a spawn"); return }
        #expect(parsed == namespace)
    }
}
