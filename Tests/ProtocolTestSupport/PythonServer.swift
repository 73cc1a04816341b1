import Foundation

/// A Python server from Tests/Interop running in the background for one test: started, asked for
/// its port (its first output line, `{"port": N}`), terminated when the test is done.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    let process: Process
    let output: PythonPeer.OutputFiles

    public static func start(_ script: String, arguments: [String] = [], timeout: Double = 20) async throws -> PythonServer {
        let process = Process()
        process.executableURL = PythonPeer.python
        process.arguments = [PythonPeer.root.appendingPathComponent("Tests/Interop/\(script)").path] + arguments
        let output = try PythonPeer.OutputFiles()
        process.standardOutput = output.stdout
        process.standardError = output.stderr
        try process.run()
        // Polled from a file, never a blocking read (see PythonPeer.run).
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            let text = output.readStdout()
            if let newline = text.firstIndex(of: "\n"),
               let object = try? JSONSerialization.jsonObject(with: Data(text[..<newline].utf8)) as? [String: Any],
               let port = object["port"] as? Int {
                return PythonServer(port: port, process: process, output: output)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        output.remove()
        throw PythonPeer.PeerError.timedOut(script)
    }

    private init(port: Int, process: Process, output: PythonPeer.OutputFiles) {
        self.port = port
        self.process = process
        self.output = output
    }

    /// Kills the server. SIGKILL, not SIGTERM: a process spawned from a thread that blocks signals
    /// inherits the mask, and would never see a SIGTERM.
    public func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    deinit {
        stop()
        output.remove()
    }
}
