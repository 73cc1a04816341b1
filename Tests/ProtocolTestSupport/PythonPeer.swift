import Foundation
import Testing

/// The project's Python with python-socketio (made by scripts/test in .venv).
public enum PythonPeer {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var python: URL { root.appendingPathComponent(".venv/bin/python") }

    public static func run(_ script: String, _ arguments: [String], timeout: Double = 40) async throws -> [String: Any] {
        let python = Self.python
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
            kill(process.processIdentifier, SIGKILL)   // SIGTERM may be blocked in the child (see PythonServer.stop)
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

    public enum PeerError: Error {
        case missing
        case timedOut(String)
        case noResult(script: String, status: Int32, stderr: String)
    }
}
