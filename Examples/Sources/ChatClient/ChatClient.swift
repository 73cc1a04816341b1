// A chat client against ChatServer: auth refused and accepted, rooms, acks both ways, an async
// listener, the Engine.IO facts, and a reconnection after the server drops the connection.
// Prints what happened; exits 1 on the first thing that is not as expected.
//   swift run ChatClient [URL]         (default http://127.0.0.1:3000)
import Foundation
import SocketIOClient

@main
struct ChatClient {
    static func main() async throws {
        let url = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:3000"
        // README: client
        let manager = SocketManager(configuration: try EngineClientConfiguration(url: url, mode: .upgrade),
                                    reconnection: ReconnectionOptions(delayMilliseconds: 100, maxDelayMilliseconds: 500))
        manager.onOpen { handshake in print("engine.io open: sid \(handshake.sid), ping every \(handshake.pingInterval) ms") }
        manager.onUpgrade { transport in print("upgraded to \(transport)") }

        let chat = manager.socket("/")
        chat.on("name?") { event in event.ack?(["swift client"]) }   // the server asks; we answer
        chat.on("chat") { event async in                               // async listeners run in arrival order
            print("chat:", event.arguments)
        }
        try await chat.connect()
        let joined = try await chat.emitWithAck("join", ["lobby"], timeout: .seconds(5))
        let delivered = try await chat.emitWithAck("chat", ["lobby", "hello"], timeout: .seconds(5))

        let admin = manager.socket("/admin")
        do {
            try await admin.connect(auth: ["token": "wrong"])
        } catch {                                                       // a SocketConnectError
            guard case .refused(let message, let data) = error else { throw error }
            print("connect_error:", message, data ?? "")                // the middleware's message and data
        }
        // README: end
        check(joined == ["lobby"], "joined a room, acked with its name")
        check(delivered == ["delivered"], "a chat message acked")
        check(!admin.connected, "the admin namespace refused a wrong token")
        try await admin.connect(auth: ["token": "secret"])
        check(admin.connected, "the admin namespace admitted the right token")

        let whoami = try await chat.emitWithAck("whoami", timeout: .seconds(5))
        check(whoami == [.string(chat.id ?? "?"), "swift client"], "an async server handler awaited our answer, then acked")
        check(manager.handshake?.pingInterval == 25_000, "the handshake's ping interval is readable")

        let room = SocketManager.socket(for: try SocketIOURL(url + "/room-7"))
        try await room.connect()
        check(room.connected, "a dynamic namespace /room-7 was created on demand")
        room.manager.close()

        // The server drops the connection: the manager reconnects and every namespace comes back.
        let reconnected = AsyncStream<Int> { continuation in manager.onReconnect { attempts in continuation.yield(attempts) } }
        let oldSession = manager.sessionID
        try chat.emit("drop me")
        for await attempts in reconnected {
            print("reconnected after \(attempts) attempt(s)")
            break
        }
        let deadline = ContinuousClock.now + .seconds(2)   // the CONNECTs go out right after the reconnection
        while !(chat.connected && admin.connected) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        check(chat.connected && admin.connected, "both namespaces connected again after the reconnection")
        check(manager.sessionID != oldSession, "on a new Engine.IO session")
        let rejoined = try await chat.emitWithAck("join", ["lobby"], timeout: .seconds(5))
        check(rejoined == ["lobby"], "acks work on the new connection")
        manager.close()
        print("chat client: all checks passed")
    }

    static func check(_ condition: Bool, _ what: String) {
        print(condition ? "ok: \(what)" : "FAILED: \(what)")
        if !condition { exit(1) }
    }
}
