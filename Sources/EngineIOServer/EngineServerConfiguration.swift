import EngineIOProtocol

/// Settings of an Engine.IO server, with socket.io's defaults.
public struct EngineServerConfiguration: Sendable {
    /// The URL path the server answers on (`/socket.io/` for Socket.IO, `/engine.io/` for bare Engine.IO);
    /// normalized with leading and trailing slashes whenever it is set.
    public var path: String {
        didSet { if path != normalizedEnginePath(path) { path = normalizedEnginePath(path) } }
    }
    /// Milliseconds between the server's pings.
    public var pingInterval: Int
    /// Milliseconds a client has to answer a ping before its session is closed ("ping timeout").
    public var pingTimeout: Int
    /// Largest polling body or WebSocket frame accepted (413 on polling, close 1009 on WebSocket).
    public var maxHttpBufferSize: Int
    /// Milliseconds a WebSocket probe may take to complete the upgrade.
    public var upgradeTimeout: Int
    /// Packets queued for a polling client that has not come back; past this the session is closed.
    public var maxBufferedPackets: Int
    /// Bytes waiting for a client that reads too slowly (queued for a polling client, or unsent on
    /// its WebSocket). Volatile packets are dropped as soon as the socket stops keeping up; past this
    /// bound the session is closed with "outbound buffer full", so a slow reader never costs
    /// unbounded memory.
    public var maxOutboundBufferBytes: Int
    public var transports: Set<EngineTransport>
    public var allowUpgrades: Bool
    /// Cross-origin access. Nil (the default) sends no CORS headers and refuses requests whose
    /// Origin is not the server's own (Host header), WebSocket included, as python-engineio does
    /// since CVE-2019-13611: a page on another site cannot open a session in its visitor's name.
    /// Clients that send no Origin (non-browser clients) are not affected.
    public var cors: CORSConfiguration?
    /// Reads the HTTP request before a handshake and may refuse it (403, code 4 "Forbidden").
    public var allowRequest: (@Sendable (EngineRequest) async -> Bool)?

    public init(path: String = "/socket.io/", pingInterval: Int = 25_000, pingTimeout: Int = 20_000,
                maxHttpBufferSize: Int = 1_000_000, upgradeTimeout: Int = 10_000, maxBufferedPackets: Int = 10_000,
                maxOutboundBufferBytes: Int = 8 * 1024 * 1024,
                transports: Set<EngineTransport> = [.polling, .websocket], allowUpgrades: Bool = true,
                cors: CORSConfiguration? = nil, allowRequest: (@Sendable (EngineRequest) async -> Bool)? = nil) {
        self.path = normalizedEnginePath(path)
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxHttpBufferSize = maxHttpBufferSize
        self.upgradeTimeout = upgradeTimeout
        self.maxBufferedPackets = maxBufferedPackets
        self.maxOutboundBufferBytes = maxOutboundBufferBytes
        self.transports = transports
        self.allowUpgrades = allowUpgrades
        self.cors = cors
        self.allowRequest = allowRequest
    }

    var limits: EngineLimits { EngineLimits(maxPayloadBytes: maxHttpBufferSize) }

    /// Whether a request with this Origin (and Host) header may reach the server at all: no Origin
    /// (not a browser), the server's own origin, or one that `cors` allows.
    func acceptsOrigin(_ origin: String?, host: String?) -> Bool {
        guard let origin, !CORSConfiguration.isSameOrigin(origin, host: host) else { return true }
        return cors?.allows(origin: origin) ?? false
    }
}


/// Which origins may use the server from a browser, and how.
public struct CORSConfiguration: Sendable {
    public enum Origins: Sendable {
        case any
        case list([String])
    }

    public var origins: Origins
    public var credentials: Bool
    public var allowedHeaders: [String]
    public var maxAge: Int?

    public init(origins: Origins, credentials: Bool = false, allowedHeaders: [String] = [], maxAge: Int? = nil) {
        self.origins = origins
        self.credentials = credentials
        self.allowedHeaders = allowedHeaders
        self.maxAge = maxAge
    }

    /// Whether a request with this Origin header may proceed (no header: not a browser, allowed).
    public func allows(origin: String?) -> Bool {
        guard let origin else { return true }
        switch origins {
        case .any: return true
        case .list(let list): return list.contains(origin)
        }
    }

    /// Whether `origin` (scheme://host[:port]) names the host the request was sent to.
    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        let parts = origin.lowercased().split(separator: "://", maxSplits: 1)
        guard let host, parts.count == 2 else { return false }
        let scheme = parts[0]
        var authority = String(parts[1])
        if authority.hasSuffix("/") { authority.removeLast() }
        let target = host.lowercased()
        if authority == target { return true }
        let defaultPort = scheme == "https" || scheme == "wss" ? ":443" : ":80"
        return authority == target + defaultPort || authority + defaultPort == target
    }

    /// The headers for a response to a request from `origin`.
    func responseHeaders(origin: String?) -> [(String, String)] {
        guard let origin, allows(origin: origin) else { return [] }
        var headers: [(String, String)] = []
        if case .any = origins, !credentials {
            headers.append(("Access-Control-Allow-Origin", "*"))
        } else {
            headers.append(("Access-Control-Allow-Origin", origin))
            headers.append(("Vary", "Origin"))
        }
        if credentials { headers.append(("Access-Control-Allow-Credentials", "true")) }
        return headers
    }
}

/// Why a session ended, with socket.io's reason strings.
public enum EngineCloseReason: String, Sendable {
    case transportClose = "transport close"
    case transportError = "transport error"
    case pingTimeout = "ping timeout"
    case parseError = "parse error"
    case forcedClose = "forced close"
    case serverShuttingDown = "server shutting down"
    /// The client read too slowly: more than `maxOutboundBufferBytes` waited for it.
    case outboundBufferFull = "outbound buffer full"
}
