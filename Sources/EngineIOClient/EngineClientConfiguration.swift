import EngineIOProtocol

/// Where and how an Engine.IO client connects.
public struct EngineClientConfiguration: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// HTTP long-polling only.
        case polling
        /// A WebSocket from the start (no polling handshake).
        case websocket
        /// Polling first, then upgrade to WebSocket when the server offers it (the default of official clients).
        case upgrade
    }

    public var host: String
    public var port: Int
    /// `/socket.io/` for Socket.IO servers, `/engine.io/` for bare Engine.IO ones.
    public var path: String
    public var mode: Mode
    /// Extra query parameters sent with every request.
    public var query: [(String, String)]
    /// Extra headers sent with every request and the WebSocket upgrade.
    public var headers: [(String, String)]
    /// Largest frame or body accepted from the server.
    public var maxPayload: Int
    /// Bytes that may wait to be sent (a server that stops reading, or stops answering POSTs);
    /// past it the connection is closed with "outbound buffer full" rather than growing without end.
    public var maxOutboundBufferBytes: Int
    /// TLS (https and wss) when set.
    public var tls: ClientTLS?
    /// How long opening the session may take, from the TCP connection to the open packet
    /// (socket.io-client's `timeout`, 20 s): a server that accepts the connection and never answers
    /// fails the attempt with `EngineClientError.timedOut` instead of leaving it waiting.
    public var connectTimeout: Duration

    public init(host: String, port: Int, path: String = "/socket.io/", mode: Mode = .upgrade,
                query: [(String, String)] = [], headers: [(String, String)] = [], maxPayload: Int = 100_000_000,
                maxOutboundBufferBytes: Int = 8 << 20, tls: ClientTLS? = nil, connectTimeout: Duration = .seconds(20)) {
        self.host = host
        self.port = port
        self.path = normalizedEnginePath(path)
        self.mode = mode
        self.query = query
        self.headers = headers
        self.maxPayload = maxPayload
        self.maxOutboundBufferBytes = maxOutboundBufferBytes
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// Reads `http://host:port[/path]`, `ws://...`, or with TLS `https://...` and `wss://...`
    /// (verified against the system's trust roots plus `caFile`, a PEM file, when given).
    public init(url: String, mode: Mode = .upgrade, path: String? = nil, caFile: String? = nil) throws(EngineClientError) {
        var rest = Substring(url)
        guard let schemeEnd = rest.firstRange(of: "://") else { throw .invalidURL(url, "expected http://HOST:PORT or ws://HOST:PORT") }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard ["http", "ws", "https", "wss"].contains(scheme) else {
            throw .invalidURL(url, "the scheme must be http, https, ws or wss")
        }
        let secure = scheme == "https" || scheme == "wss"
        rest = rest[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let urlPath = rest.dropFirst(authority.count).prefix { $0 != "?" }
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                throw .invalidURL(url, "the port must be a number from 1 to 65535")
            }
            port = p
            host = String(authority[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidURL(url, "no host") }
        self.init(host: host, port: port, path: path ?? (urlPath.isEmpty || urlPath == "/" ? "/socket.io/" : String(urlPath)), mode: mode,
                  tls: secure ? ClientTLS(caFile: caFile) : nil)
    }

    func uri(transport: String, sid: String?) -> String {
        var parts = ["EIO=4", "transport=\(transport)"]
        if let sid { parts.append("sid=\(sid)") }
        for (name, value) in query { parts.append("\(Self.escape(name))=\(Self.escape(value))") }
        return path + "?" + parts.joined(separator: "&")
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
            }
        }
        return out
    }
}

/// TLS for a client: the server's certificate is verified (chain and host name) against the
/// system's trust roots, plus a CA file for development servers with their own CA.
public struct ClientTLS: Sendable, Hashable {
    /// A PEM file of extra trusted CA certificates.
    public var caFile: String?
    /// The name the certificate must carry, when it differs from the host connected to.
    public var serverName: String?

    public init(caFile: String? = nil, serverName: String? = nil) {
        self.caFile = caFile
        self.serverName = serverName
    }
}

/// Why a client could not connect or lost its connection.
public enum EngineClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidURL(String, String)
    case unsupported(String)
    case connectionFailed(String)
    /// The server answered the handshake with an error status (and its JSON body, if any).
    case handshakeRefused(status: Int, body: String)
    case protocolError(String)
    case closed
    /// The session was not open within `connectTimeout`.
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .invalidURL(let url, let why): return "invalid URL \(url): \(why)"
        case .unsupported(let what): return what
        case .connectionFailed(let why): return "cannot connect: \(why)"
        case .handshakeRefused(let status, let body): return "the server refused the handshake: HTTP \(status) \(body)"
        case .protocolError(let why): return "protocol error: \(why)"
        case .closed: return "the connection is closed"
        case .timedOut(let limit): return "cannot connect: no complete handshake within \(limit)"
        }
    }
}

/// Why a client session ended.
public enum EngineClientCloseReason: String, Sendable {
    /// The server stopped answering pings in time.
    case pingTimeout = "ping timeout"
    case transportClose = "transport close"
    case transportError = "transport error"
    case parseError = "parse error"
    /// `close()` was called.
    case clientClose = "io client disconnect"
    /// The server sent a close packet.
    case serverClose = "io server disconnect"
    /// More than `maxOutboundBufferBytes` waited unsent: the server stopped reading.
    case outboundBufferFull = "outbound buffer full"
}
