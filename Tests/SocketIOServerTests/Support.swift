import Foundation
import SocketIOServer
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

/// The project's Python with python-socketio (made by scripts/test in .venv).
enum PythonPeer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ script: String, _ arguments: [String], timeout: Double = 40) async throws -> [String: Any] {
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("no Python peer at \(python.path): run scripts/test (it creates .venv with python-socketio)")
            throw PeerError.missing
        }
        let process = Process()
        process.executableURL = python
        process.arguments = [root.appendingPathComponent("Tests/Interop/\(script)").path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            throw PeerError.timedOut(script)
        }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let line = stdout.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerError.noResult(script: script, status: process.terminationStatus, stderr: String(stderr.suffix(3000)))
        }
        return object
    }

    enum PeerError: Error {
        case missing
        case timedOut(String)
        case noResult(script: String, status: Int32, stderr: String)
    }
}
