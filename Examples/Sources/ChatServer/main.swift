// A chat server: rooms on the main namespace, an /admin namespace behind middleware, dynamic
// /room-N namespaces, a handler that awaits the client, and a health check beside Socket.IO.
//   swift run ChatServer [PORT]        (0 picks a free port; the chosen one is printed)
import Foundation
import SocketIOServer

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 3000

// README: server
let io = SocketIOServer()

io.of("/admin").use("auth") { socket in
    guard socket.handshake.auth["token"] == "secret" else {
        throw ConnectError("forbidden", data: ["reason": "no token"])
    }
}
io.onConnection { socket in
    socket.on("join") { event in
        guard case .string(let room)? = event.arguments.first else { return }
        socket.join(room)
        event.ack?([.string(room)])
    }
    socket.on("chat") { event in
        guard case .string(let room)? = event.arguments.first else { return }
        try? socket.to(room).emit("chat", Array(event.arguments.dropFirst()))   // the room, but not the sender
        event.ack?(["delivered"])
    }
    // An async handler: it awaits the client's answer before it acks. A socket's async handlers
    // run one at a time, in the order their events arrived.
    socket.on("whoami") { event async in
        let name = (try? await socket.emitWithAck("name?", timeout: .seconds(5))) ?? []
        event.ack?([.string(socket.id)] + name)
    }
    socket.on("drop me") { _ in socket.disconnect(close: true) }   // ends the connection
}
io.of("/admin").onConnection { socket in
    try? socket.emit("welcome", ["admin"])
}
let rooms = try io.of(regex: #"^/room-\d+$"#)                    // dynamic namespaces
rooms.onConnection { socket in try? socket.emit("hello", [.string(socket.namespace.name)]) }

let routes = HTTPRoutes { request, _ in                          // other paths on the same port
    request.path == "/health" ? .text("ok") : nil
}
let http = try await io.start(host: "127.0.0.1", port: port, routes: routes)
// README: end

// The port chosen, on a line of its own at once (stdout may be a pipe, which print buffers).
FileHandle.standardOutput.write(Data("listening on http://127.0.0.1:\(http.port!)\n".utf8))

// Serves until SIGINT or SIGTERM, then shuts down gracefully (owed acks are answered first).
nonisolated(unsafe) var signalSources: [any DispatchSourceSignal] = []
let stopSignals = AsyncStream<Int32> { continuation in
    for number in [SIGINT, SIGTERM] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        signalSources.append(source)
    }
}
for await _ in stopSignals { break }
await io.shutdown(http, gracePeriod: .seconds(2))
print("stopped")
