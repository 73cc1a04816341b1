import NIOConcurrencyHelpers
import NIOCore

/// Keeps the open connections of one listener: to refuse those past
/// `ListenerLimits.maxConnections`, and to close them all before the event loops stop.
final class ConnectionCounter: Sendable {
    private let open = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { open.withLockedValue { $0.count } }

    /// Takes a place for `channel` (given back when it closes); false when the listener is full.
    func admit(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        let admitted = open.withLockedValue { open -> Bool in
            guard open.count < limit else { return false }
            open[key] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in _ = open.withLockedValue { $0.removeValue(forKey: key) } }
        }
        return admitted
    }

    /// Asks every connection still open to close: on loops the listener does not own nothing else
    /// would. The closes are queued on each connection's loop ahead of any shutdown of it.
    func closeAll() {
        for channel in open.withLockedValue({ Array($0.values) }) { channel.close(promise: nil) }
    }

    /// The most connections the process's open-file limit leaves room for, keeping 64 descriptors
    /// for everything else: past it a connection could not even be accepted to be told 503.
    static func openFileCeiling() -> Int {
        OpenFileLimit.current.map { max(16, $0 - 64) } ?? Int.max
    }

    /// What a connection past the limit receives before it is closed.
    static let refusal = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\ntoo many connections".utf8)
}
