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

    /// What a connection past the limit receives before it is closed.
    static let refusal = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\ntoo many connections".utf8)
}
