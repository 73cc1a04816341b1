import ArgumentParser
import ConsoleModel
import ConsoleRuntime
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import TerminalNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The UI thread: the only one that touches curses. It turns the `ConsoleDriver` on the ncurses
/// terminal until the console quits, and turns SIGTERM, SIGHUP and SIGINT into a quit.
final class ConsoleLoop: @unchecked Sendable {
    enum Outcome: Sendable {
        case finished(String)
        case failed(String)

        /// Prints the farewell, or fails the command with the reason.
        func finish() throws {
            switch self {
            case .finished(let summary): print(summary)
            case .failed(let message): throw ValidationError(message)
            }
        }
    }

    private let driver: ConsoleDriver
    private let environment: [String: String]
    private let logFile: String?
    private let stopRequested = NIOLockedValueBox<Int32?>(nil)

    init(driver: ConsoleDriver, environment: [String: String], logFile: String?) {
        self.driver = driver
        self.environment = environment
        self.logFile = logFile
    }

    func runOnOwnThread() async -> Outcome {
        let signals = watchTerminationSignals()
        defer { signals.forEach { $0.cancel() } }
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run()) }
            thread.name = "sioscope-ui"
            thread.start()
        }
    }

    /// SIGTERM, SIGHUP and SIGINT end the loop the same way `q` does, so the terminal is restored.
    private func watchTerminationSignals() -> [any DispatchSourceSignal] {
        [SIGTERM, SIGHUP, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [stopRequested] in stopRequested.withLockedValue { $0 = number } }
            source.resume()
            return source
        }
    }

    private func run() -> Outcome {
        let session: TerminalSession
        do {
            session = try TerminalSession(environment: environment, logPath: logFile)
        } catch {
            return .failed(error.description)
        }
        while true {
            if let number = stopRequested.withLockedValue({ $0 }) {
                driver.apply(.report(StatusMessage("signal \(number): quitting")))
                driver.apply(.quit)
                break
            }
            if !driver.step(on: session) { break }
        }
        session.stop()
        return .finished(driver.farewell)
    }

    static func utcOffset() -> Int {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return parts.tm_gmtoff
    }
}
