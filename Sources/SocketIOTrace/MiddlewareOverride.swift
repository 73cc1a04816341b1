import WireJSON

/// A runtime override of one middleware, without restarting anything: set on a namespace or a
/// parent by code or by the console, and traced when it changes.
public enum MiddlewareOverride: Sendable, Hashable {
    /// Refuse every connection as if the middleware had thrown this.
    case reject(message: String, data: JSONValue?)
    /// Wait this long, then run the middleware's own rule.
    case delay(milliseconds: Int)
}
