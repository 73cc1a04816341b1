import ConsoleModel
import Foundation

/// The demo's simulated clients, so every pane has something to show from the first second:
/// two chatting on /, one admin with the token, one without (refused by the auth middleware),
/// one on a dynamic namespace.
enum DemoClients {
    static func start(_ clients: SimulatedClients) {
        let chatter = clients.spawn(count: 1, namespace: "/", auth: ["user": "ada"], transport: nil)[0]
        let pinger = clients.spawn(count: 1, namespace: "/", auth: ["user": "bob"], transport: .polling)[0]
        clients.spawn(count: 1, namespace: "/admin", auth: ["token": "secret"], transport: .websocket)
        clients.spawn(count: 1, namespace: "/admin", auth: nil, transport: .polling)
        clients.spawn(count: 1, namespace: "/ws-42", auth: nil, transport: nil)
        Task {
            var n = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3))
                n += 1
                guard let a = clients.client(chatter), a.state == .connected else { continue }
                try? a.socket.emit("chat", [["text": .string("hello #\(n)")]])
                if n % 2 == 0, let b = clients.client(pinger), b.state == .connected {
                    _ = try? await b.socket.emitWithAck("ping-ack", [.int(Int64(n))], timeout: .seconds(5))
                }
            }
        }
    }
}
