import ArgumentParser
import EngineIOServer
import Scenarios
import SocketIOProtocol

/// The embedded server's bounds on untrusted peers, shared by `sioscope` (the console) and `serve`.
/// Defaults are `ListenerLimits` and `EngineServerConfiguration`'s.
struct ServerLimitOptions: ParsableArguments {
    @Option(help: "Open connections at once; more get a 503 and are closed. (default: 10000)")
    var maxConnections: Int?

    @Option(help: "Largest request line plus headers, in bytes. (default: 16384)")
    var maxHeaderBytes: Int?

    @Option(help: "Most header fields in one request head. (default: 256)")
    var maxHeaderFields: Int?

    @Option(help: "Longest request target (path and query), in bytes. (default: 8192)")
    var maxUrlBytes: Int?

    @Option(help: "Seconds a new connection has to send its request head. (default: 10)")
    var headerTimeout: Double?

    @Option(help: "Bytes that may wait for a slow client before it is disconnected. (default: 8388608)")
    var maxOutboundBuffer: Int?

    @Option(help: "Binary attachments one Socket.IO packet may declare, 1 to 64. (default: 10)")
    var maxAttachments: Int?

    @Option(help: "Deepest JSON nesting in a Socket.IO packet, 1 to 512. (default: 64)")
    var maxDepth: Int?

    func validate() throws {
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let maxHeaderBytes, maxHeaderBytes < 1_024 { throw ValidationError("--max-header-bytes must be at least 1024") }
        if let maxHeaderFields, maxHeaderFields < 16 { throw ValidationError("--max-header-fields must be at least 16") }
        if let headerTimeout, !(headerTimeout > 0) { throw ValidationError("--header-timeout must be more than 0 seconds") }
        if let maxOutboundBuffer, maxOutboundBuffer < 1_024 { throw ValidationError("--max-outbound-buffer must be at least 1024 bytes") }
        if let maxUrlBytes, maxUrlBytes < 256 { throw ValidationError("--max-url-bytes must be at least 256") }
        if let maxAttachments, !(1...SocketLimits.mostAttachments).contains(maxAttachments) {
            throw ValidationError("--max-attachments must be between 1 and \(SocketLimits.mostAttachments)")
        }
        if let maxDepth, !(1...JSONLimits.deepest).contains(maxDepth) {
            throw ValidationError("--max-depth must be between 1 and \(JSONLimits.deepest)")
        }
    }

    /// Through ListenerLimits' initializer, which keeps the URL within the head.
    var listener: ListenerLimits {
        let defaults = ListenerLimits()
        return ListenerLimits(maxConnections: maxConnections ?? defaults.maxConnections,
                              maxHeaderBytes: maxHeaderBytes ?? defaults.maxHeaderBytes,
                              maxHeaderFields: maxHeaderFields ?? defaults.maxHeaderFields,
                              maxURLBytes: maxUrlBytes ?? defaults.maxURLBytes,
                              headerTimeout: headerTimeout.map { .milliseconds(Int64($0 * 1000)) } ?? defaults.headerTimeout,
                              keepAliveTimeout: defaults.keepAliveTimeout)
    }

    /// The session and packet bounds, over what the scenario says.
    func apply(to scenario: inout Scenario) {
        if let maxOutboundBuffer { scenario.engine.maxOutboundBufferBytes = maxOutboundBuffer }
        if let maxAttachments { scenario.socketLimits.maxAttachments = maxAttachments }
        if let maxDepth { scenario.socketLimits.maxDepth = maxDepth }
    }
}
