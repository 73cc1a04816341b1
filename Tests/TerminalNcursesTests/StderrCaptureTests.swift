#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import TerminalNcurses

/// The capture runs on a file standing in for standard error, so the test process's own
/// standard error is left alone. Serialized: the crash handler's view of the capture is global.
@Suite(.serialized) struct StderrCaptureTests {
    let directory: String
    let targetPath: String
    let target: Int32

    init() throws {
        directory = NSTemporaryDirectory() + "stderr-capture-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        targetPath = directory + "/terminal"
        target = open(targetPath, O_RDWR | O_CREAT | O_APPEND, 0o600)
        try #require(target >= 0)
    }

    func write(_ text: String) {
        _ = text.withCString { Glibc.write(target, $0, strlen($0)) }
    }

    func terminalText() throws -> String {
        try String(contentsOfFile: targetPath, encoding: .utf8)
    }

    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func messagesWrittenWhileCapturedAreReplayedAfter() throws {
        write("before\n")
        let capture = try #require(StderrCapture(path: nil, target: target, temporaryDirectory: directory))
        write("while the screen is ours\n")
        #expect(try terminalText() == "before\n")
        capture.stop(replay: true)
        write("after\n")
        #expect(try terminalText() == "before\nwhile the screen is ours\nafter\n")
        close(target)
    }

    @Test func theTemporaryFileIsGoneWhileCapturing() throws {
        let capture = try #require(StderrCapture(path: nil, target: target, temporaryDirectory: directory))
        write("hidden\n")
        // Only the stand-in terminal: the capture file was unlinked as soon as it was open, so a
        // killed console leaves nothing behind and no path exists to plant a symlink at.
        #expect(try entries() == ["terminal"])
        capture.stop(replay: false)
        #expect(try terminalText() == "")
        close(target)
    }

    @Test func aNamedFileIsKeptWithTheMessages() throws {
        let logPath = directory + "/console.log"
        let capture = try #require(StderrCapture(path: logPath, target: target))
        write("kept\n")
        capture.stop(replay: true)
        #expect(try String(contentsOfFile: logPath, encoding: .utf8) == "kept\n")
        #expect(try terminalText() == "kept\n")
        close(target)
    }

    @Test func aCrashSignalReplaysWhatWasCaptured() throws {
        let capture = try #require(StderrCapture(path: nil, target: target, temporaryDirectory: directory))
        write("Fatal error: something\n")
        StderrCapture.replayFromSignal()
        write("backtrace\n")
        #expect(try terminalText() == "Fatal error: something\nbacktrace\n")
        // A second call (a nested signal) finds nothing left to replay.
        StderrCapture.replayFromSignal()
        #expect(try terminalText() == "Fatal error: something\nbacktrace\n")
        capture.stop(replay: false)  // the process would be gone; only the descriptors are released
        close(target)
    }
}
