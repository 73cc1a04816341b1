import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects to `host`; an IP address is used as it is, without NIO's resolver (getaddrinfo on
    /// another thread, then happy eyeballs), which was most of a connection's cost for clients that
    /// connect by the thousand. Names are resolved as before.
    func connect(hostOrAddress host: String, port: Int) -> EventLoopFuture<any Channel> {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return connect(to: address) }
        return connect(host: host, port: port)
    }
}
