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

    /// Closes every connection still open and waits until each has. Owned event loops must not
    /// stop under a connection: a request of it hopping to another loop would find that loop gone.
    func closeAll() async {
        let channels = open.withLockedValue { Array($0.values) }
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }

    /// The most connections the process's open-file limit leaves room for, keeping 64 descriptors
    /// for everything else: past it a connection could not even be accepted to be told 503.
    static func openFileCeiling() -> Int {
        OpenFileLimit.current.map { max(16, $0 - 64) } ?? Int.max
    }

    /// What a connection past the limit receives before it is closed.
    static let refusal = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\ntoo many connections".utf8)
}
