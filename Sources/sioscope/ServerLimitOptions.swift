import ArgumentParser
import EngineIOServer

/// The embedded server's bounds on untrusted peers, shared by `sioscope` (the console) and `serve`.
/// Defaults are `ListenerLimits` and `EngineServerConfiguration`'s.
struct ServerLimitOptions: ParsableArguments {
    @Option(help: "Open connections at once; more get a 503 and are closed. (default: 10000)")
    var maxConnections: Int?

    @Option(help: "Largest request line plus headers, in bytes. (default: 16384)")
    var maxHeaderBytes: Int?

    @Option(help: "Most header fields in one request head. (default: 256)")
    var maxHeaderFields: Int?

    @Option(help: "Seconds a new connection has to send its request head. (default: 10)")
    var headerTimeout: Double?

    @Option(help: "Bytes that may wait for a slow client before it is disconnected. (default: 8388608)")
    var maxOutboundBuffer: Int?

    func validate() throws {
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let maxHeaderBytes, maxHeaderBytes < 1_024 { throw ValidationError("--max-header-bytes must be at least 1024") }
        if let maxHeaderFields, maxHeaderFields < 16 { throw ValidationError("--max-header-fields must be at least 16") }
        if let headerTimeout, !(headerTimeout > 0) { throw ValidationError("--header-timeout must be more than 0 seconds") }
        if let maxOutboundBuffer, maxOutboundBuffer < 1_024 { throw ValidationError("--max-outbound-buffer must be at least 1024 bytes") }
    }

    var listener: ListenerLimits {
        var limits = ListenerLimits()
        if let maxConnections { limits.maxConnections = maxConnections }
        if let maxHeaderBytes {
            limits.maxHeaderBytes = maxHeaderBytes
            limits.maxURLBytes = min(limits.maxURLBytes, maxHeaderBytes)
        }
        if let maxHeaderFields { limits.maxHeaderFields = maxHeaderFields }
        if let headerTimeout { limits.headerTimeout = .milliseconds(Int64(headerTimeout * 1000)) }
        return limits
    }

    func apply(to engine: inout EngineServerConfiguration) {
        if let maxOutboundBuffer { engine.maxOutboundBufferBytes = maxOutboundBuffer }
    }
}
