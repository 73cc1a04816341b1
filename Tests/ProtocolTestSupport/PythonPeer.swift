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
        let output = try OutputFiles()
        defer { output.remove() }
        process.standardOutput = output.stdout
        process.standardError = output.stderr
        try process.run()
        // Waiting never blocks a thread: the test pool has one thread per core, and a blocking read
        // on a pipe (whose write end another test's child may have inherited) can hold one forever.
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)   // SIGTERM may be blocked in the child (see PythonServer.stop)
            throw PeerError.timedOut(script)
        }
        let stdout = output.readStdout()
        guard let line = stdout.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerError.noResult(script: script, status: process.terminationStatus, stderr: String(output.readStderr().suffix(3000)))
        }
        return object
    }

    /// A child's stdout and stderr as temporary files: read whenever, never blocking, whatever the
    /// child (or its children) still hold open.
    struct OutputFiles {
        let directory: URL
        let stdout: FileHandle
        let stderr: FileHandle

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sioscope-peer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in ["stdout", "stderr"] {
                FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil)
            }
            stdout = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
            stderr = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
        }

        func readStdout() -> String { read("stdout") }
        func readStderr() -> String { read("stderr") }

        private func read(_ name: String) -> String {
            (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }

        func remove() {
            try? stdout.close()
            try? stderr.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    public enum PeerError: Error {
        case missing
        case timedOut(String)
        case noResult(script: String, status: Int32, stderr: String)
    }
}
