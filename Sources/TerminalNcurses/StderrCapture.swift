#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Sends standard error to a file while curses owns the screen, so a stray message cannot tear
/// the display; after, the messages are shown on the restored terminal. A file the user named is
/// kept; otherwise the file is a fresh temporary one, unlinked as soon as it is open, so nothing
/// is left behind even when the process is killed, and no one can plant a symlink in its place.
/// A crash signal replays the file too (`replayFromSignal`), so its message is not lost.
final class StderrCapture {
    /// The active capture's descriptors, for the crash handler (-1 when none).
    nonisolated(unsafe) private static var signalSaved: Int32 = -1
    nonisolated(unsafe) private static var signalCapture: Int32 = -1
    nonisolated(unsafe) private static var signalTarget: Int32 = STDERR_FILENO
    /// The descriptor captured: standard error, or another one in tests.
    private let target: Int32

    private let savedDescriptor: Int32
    /// The capture file, open for reading back what was written through standard error.
    private let captureDescriptor: Int32
    private var active = true

    init?(path: String?, target: Int32 = STDERR_FILENO, temporaryDirectory: String? = nil) {
        let fd: Int32
        if let path {
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        } else {
            let directory = temporaryDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array("\(directory)/sioscope-stderr-XXXXXX".utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            }
        }
        guard fd >= 0 else { return nil }
        self.target = target
        savedDescriptor = dup(target)
        dup2(fd, target)
        captureDescriptor = fd
        Self.signalSaved = savedDescriptor
        Self.signalCapture = fd
        Self.signalTarget = target
    }

    func stop(replay: Bool) {
        guard active else { return }
        active = false
        Self.signalSaved = -1
        Self.signalCapture = -1
        dup2(savedDescriptor, target)
        close(savedDescriptor)
        if replay { Self.copy(from: captureDescriptor, to: target) }
        close(captureDescriptor)
    }

    /// Inside a crash signal's handler: standard error back on the terminal, with what was
    /// captured so far. Async-signal-safe calls only (dup2, pread, write).
    static func replayFromSignal() {
        let saved = signalSaved, capture = signalCapture
        guard saved >= 0, capture >= 0 else { return }
        signalSaved = -1
        signalCapture = -1
        dup2(saved, signalTarget)
        copy(from: capture, to: signalTarget)
    }

    /// Writes the capture file's contents from its start to `target`, without moving the offset
    /// the captured descriptor wrote at. A buffer on the stack: no allocation (signal handler).
    private static func copy(from descriptor: Int32, to target: Int32) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            var offset: off_t = 0
            while true {
                let n = pread(descriptor, buffer.baseAddress, buffer.count, offset)
                if n <= 0 { break }
                _ = write(target, buffer.baseAddress, n)
                offset += off_t(n)
            }
        }
    }
}
