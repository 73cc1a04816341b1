#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects to `host`; an IP address is used as it is, without NIO's resolver (getaddrinfo on
    /// another thread, then happy eyeballs), which was most of a connection's cost for clients that
    /// connect by the thousand. Names are resolved as before. A failure is an
    /// `EngineClientError.connectionFailed` that says what happened in words.
    func connect(hostOrAddress host: String, port: Int) -> EventLoopFuture<any Channel> {
        let connecting: EventLoopFuture<any Channel>
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            connecting = connect(to: address)
        } else {
            connecting = connect(host: host, port: port)
        }
        return connecting.flatMapErrorThrowing { error in
            throw EngineClientError.connectionFailed(ConnectFailure.describe(error, host: host, port: port))
        }
    }
}

/// Why a TCP connection could not be made, for people: NIO's own text for a refused connection
/// reads "connection reset (error set): Connection refused) (errno: 111)".
enum ConnectFailure {
    static func describe(_ error: any Error, host: String, port: Int) -> String {
        let place = "\(host):\(port)"
        if let connection = error as? NIOConnectionError {
            if connection.connectionErrors.isEmpty {
                return "cannot resolve \(host)"
            }
            let reasons = Set(connection.connectionErrors.map { describe($0.error, host: host, port: port) })
            return reasons.count == 1 ? reasons.first! : reasons.sorted().joined(separator: "; ")
        }
        if case ChannelError.connectTimeout(let timeout) = error {
            return "no answer from \(place) within \(timeout.nanoseconds / 1_000_000_000) s"
        }
        guard let io = error as? IOError else { return String(describing: error) }
        switch io.errnoCode {
        case ECONNREFUSED: return "nothing accepts connections at \(place) (connection refused)"
        case ETIMEDOUT: return "no answer from \(place) (timed out)"
        case EHOSTUNREACH, ENETUNREACH: return "\(host) cannot be reached (no route)"
        case ECONNRESET: return "\(place) reset the connection"
        case EADDRNOTAVAIL: return "no local address or port is free to reach \(place)"
        case EMFILE, ENFILE: return "no file descriptor left for another connection (the open-file limit, ulimit -n, is reached)"
        default: return "\(place): \(String(cString: strerror(io.errnoCode)))"
        }
    }
}
