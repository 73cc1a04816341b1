/// Bounds on what one listening port accepts before any Engine.IO session exists: how many
/// connections, how large a request head, how long a client may take to send it. The defaults
/// are safe for a server facing untrusted peers; raise them for a load test.
public struct ListenerLimits: Sendable, Hashable {
    /// Open TCP connections at once; past it, a new connection gets a 503 and is closed. Also
    /// held under the process's open-file limit (less 64), which would otherwise stop accepting.
    public var maxConnections: Int
    /// Request line and headers together, in bytes (an oversized head gets a 400 and the connection closes).
    public var maxHeaderBytes: Int
    /// Header fields in one request head (400 past it, like an oversized head). Browsers send a
    /// few dozen; thousands of tiny ones cost per-field work and once crashed ws (CVE-2024-37890).
    public var maxHeaderFields: Int
    /// The request target (path and query), in bytes (414 past it).
    public var maxURLBytes: Int
    /// Time a new connection has to send its first complete request head (slow-header defence).
    public var headerTimeout: Duration
    /// Time an idle keep-alive connection is kept before it is closed. Longer than the default
    /// ping interval plus ping timeout, so a polling client's connection is never cut between polls.
    public var keepAliveTimeout: Duration

    public init(maxConnections: Int = 10_000, maxHeaderBytes: Int = 16_384, maxHeaderFields: Int = 256, maxURLBytes: Int = 8_192,
                headerTimeout: Duration = .seconds(10), keepAliveTimeout: Duration = .seconds(65)) {
        self.maxConnections = max(1, maxConnections)
        self.maxHeaderBytes = max(1_024, maxHeaderBytes)
        self.maxHeaderFields = max(16, maxHeaderFields)
        self.maxURLBytes = max(256, min(maxURLBytes, self.maxHeaderBytes))
        self.headerTimeout = headerTimeout
        self.keepAliveTimeout = keepAliveTimeout
    }
}
