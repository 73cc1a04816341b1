import EngineIOClient
import NIOCore
import NIOPosix
import SocketIOTrace

/// A server URL as socket.io-client reads it (`io("https://example.com/orders")`): the URL's path
/// names the namespace (`/` when it has none), not the Engine.IO path, which is set apart (the
/// `path` option, `/socket.io/` by default). "The namespace is not related to the actual URL of the
/// underlying transport" (socket.io docs, "Namespaces"). One exception, for the URLs servers print
/// (`sioscope serve` says `http://127.0.0.1:3000/socket.io/`): a path that is the Engine.IO path
/// itself names no namespace.
public struct SocketIOURL: Sendable {
    /// Where and how to connect: the URL's scheme, host and port with `path` as the Engine.IO path.
    public var configuration: EngineClientConfiguration
    /// The namespace the URL's path names.
    public var namespace: String

    public init(_ url: String, path: String = "/socket.io/", mode: EngineClientConfiguration.Mode = .upgrade,
                caFile: String? = nil) throws(EngineClientError) {
        configuration = try EngineClientConfiguration(url: url, mode: mode, path: path, caFile: caFile)
        let named = try Self.namespace(in: url)
        namespace = normalizedEnginePath(named) == configuration.path ? "/" : named
    }

    /// The path between the authority and the query (or fragment), `/` when empty.
    static func namespace(in url: String) throws(EngineClientError) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "/" }
        let rest = url[schemeEnd.upperBound...]
        let path = rest.drop { $0 != "/" && $0 != "?" && $0 != "#" }.prefix { $0 != "?" && $0 != "#" }
        guard !path.isEmpty, path != "/" else { return "/" }
        guard !path.contains(","), !path.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw .invalidURL(url, "the path names the namespace, and a namespace has no ',' or control characters")
        }
        return String(path)
    }
}

extension SocketManager {
    /// socket.io-client's `io(url)`: a manager of its own for the URL's server and the socket for
    /// the namespace its path names. The socket's `manager` closes the connection.
    public static func socket(for url: SocketIOURL, reconnection: ReconnectionOptions = .init(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                              trace: (any TraceSink)? = nil) -> ClientSocket {
        SocketManager(configuration: url.configuration, reconnection: reconnection, group: group, trace: trace).socket(url.namespace)
    }
}
