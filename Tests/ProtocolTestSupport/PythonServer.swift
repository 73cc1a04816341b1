import Foundation

/// A Python server from Tests/Interop running in the background for one test: started, asked for
/// its port (its first output line, `{"port": N}`), terminated when the test is done.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    let process: Process

    public static func start(_ script: String, arguments: [String] = [], timeout: Double = 20) async throws -> PythonServer {
        let process = Process()
        process.executableURL = PythonPeer.python
        process.arguments = [PythonPeer.root.appendingPathComponent("Tests/Interop/\(script)").path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var buffered = Data()
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffered.append(chunk)
            if let newline = buffered.firstIndex(of: 0x0A),
               let object = try? JSONSerialization.jsonObject(with: buffered[..<newline]) as? [String: Any],
               let port = object["port"] as? Int {
                return PythonServer(port: port, process: process)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        throw PythonPeer.PeerError.timedOut(script)
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Kills the server. SIGKILL, not SIGTERM: a process spawned from a thread that blocks signals
    /// inherits the mask, and would never see a SIGTERM.
    public func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    deinit { stop() }
}
