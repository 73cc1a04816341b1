#if canImport(Glibc)
import Glibc
#endif

/// Sends standard error to a file while curses owns the screen, so a stray message cannot tear
/// the display; after, the messages are shown on the restored terminal (and the file is kept when
/// the user named it).
final class StderrCapture {
    private let savedDescriptor: Int32
    private let path: String
    private let keepFile: Bool
    private var active = true

    init?(path: String?) {
        let chosen = path ?? "/tmp/sioscope-\(getpid()).log"
        let fd = open(chosen, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        savedDescriptor = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
        close(fd)
        self.path = chosen
        keepFile = path != nil
    }

    func stop(replay: Bool) {
        guard active else { return }
        active = false
        dup2(savedDescriptor, STDERR_FILENO)
        close(savedDescriptor)
        if replay, let file = fopen(path, "r") {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                _ = buffer.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, n) }
            }
            fclose(file)
        }
        if !keepFile { unlink(path) }
    }
}
