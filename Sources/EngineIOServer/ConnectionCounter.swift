import NIOConcurrencyHelpers
import NIOCore

/// Counts the open connections of one listener, to refuse those past `ListenerLimits.maxConnections`.
final class ConnectionCounter: Sendable {
    private let open = NIOLockedValueBox(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { open.withLockedValue { $0 } }

    /// Takes a place for `channel` (given back when it closes); false when the listener is full.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = open.withLockedValue { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in open.withLockedValue { $0 -= 1 } }
        }
        return admitted
    }

    /// The most connections the process's open-file limit leaves room for, keeping 64 descriptors
    /// for everything else: past it a connection could not even be accepted to be told 503.
    static func openFileCeiling() -> Int {
        OpenFileLimit.current.map { max(16, $0 - 64) } ?? Int.max
    }

    /// What a connection past the limit receives before it is closed.
    static let refusal = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\ntoo many connections".utf8)
}
