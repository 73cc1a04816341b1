import Foundation
import SocketIOServer
import ProtocolTestSupport
import Testing

/// The server every interop scenario talks to, built with the library as an application would.
enum ScenarioServer {
    static func start() async throws -> (SocketIOServer, EngineHTTPServer) {
        let io = SocketIOServer(configuration: SocketIOServerConfiguration(
            engine: EngineServerConfiguration(pingInterval: 300, pingTimeout: 400)))
        io.onConnection { socket in
            try? socket.emit("welcome", [.object(socket.handshake.auth), .string(socket.namespace.name)])
            socket.on("echo") { event in try? socket.emit("echo-back", event.arguments) }
            socket.on("ack-me") { event in event.ack?(event.arguments) }
            socket.on("binary") { event in try? socket.emit("binary-back", event.arguments) }
            socket.on("ask") { _ in
                Task {
                    let reply = (try? await socket.emitWithAck("question", ["why?"], timeout: .seconds(5))) ?? ["no answer"]
                    try? socket.emit("answer", reply)
                }
            }
            socket.on("join") { event in
                if case .string(let room)? = event.arguments.first { socket.join(room) }
                event.ack?([])
            }
            socket.on("say") { event in
                guard case .string(let room)? = event.arguments.first else { return }
                try? socket.to(room).emit("said", Array(event.arguments.dropFirst()))
            }
        }
        let admin = io.of("/admin")
        admin.use("auth") { socket in
            guard socket.handshake.auth["token"] == "secret" else {
                throw ConnectError("forbidden", data: ["reason": "no token"])
            }
        }
        admin.onConnection { socket in try? socket.emit("welcome", ["admin"]) }
        let dynamic = try io.of(regex: #"/dyn-\d+"#)
        dynamic.onConnection { socket in try? socket.emit("welcome", [.string(socket.namespace.name)]) }
        let http = try await io.start()
        return (io, http)
    }
}
