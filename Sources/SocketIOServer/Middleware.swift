import SocketIOTrace

/// A named connection middleware: socket.io's `use((socket, next) => ...)`. Throwing refuses the
/// connection (a `ConnectError` carries message and data; any other error sends its description).
/// Names let the console list middleware, show each decision, and override one at runtime.
public struct Middleware: Sendable {
    public let name: String
    let run: @Sendable (ServerSocket) async throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable (ServerSocket) async throws -> Void) {
        self.name = name
        self.run = run
    }
}

extension Middleware {
    /// Runs an HTTP-style check on the request that opened the connection (cookies, sessions,
    /// headers): the Swift form of socket.io's `wrap(expressMiddleware)`. Throwing refuses.
    public static func http(_ name: String, _ check: @escaping @Sendable (EngineRequest) async throws -> Void) -> Middleware {
        Middleware(name) { socket in try await check(socket.handshake.request) }
    }
}

/// A runtime override of one middleware, without restarting anything.
public enum MiddlewareOverride: Sendable, Hashable {
    /// Refuse every connection as if the middleware had thrown this.
    case reject(message: String, data: JSONValue?)
    /// Wait this long, then run the middleware's own rule.
    case delay(milliseconds: Int)
}

/// Runs a chain in order and records a decision per step; the first refusal stops it.
enum MiddlewareChain {
    static func run(_ chain: [Middleware], overrides: [String: MiddlewareOverride], socket: ServerSocket,
                    trace: (any TraceSink)?) async -> ConnectError? {
        let clock = ContinuousClock()
        for middleware in chain {
            let start = clock.now
            var forced = false
            var refusal: ConnectError? = nil
            switch overrides[middleware.name] {
            case .reject(let message, let data)?:
                forced = true
                refusal = ConnectError(message, data: data)
            case .delay(let ms)?:
                try? await Task.sleep(for: .milliseconds(ms))
                refusal = await evaluate(middleware, socket)
            case nil:
                refusal = await evaluate(middleware, socket)
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            trace?.record(.middleware(MiddlewareDecision(
                namespace: socket.namespace.name, socketID: socket.id, middleware: middleware.name,
                verdict: refusal.map { .reject(message: $0.message, data: $0.data) } ?? .allow,
                forced: forced, durationSeconds: seconds)))
            if let refusal { return refusal }
        }
        return nil
    }

    private static func evaluate(_ middleware: Middleware, _ socket: ServerSocket) async -> ConnectError? {
        do {
            try await middleware.run(socket)
            return nil
        } catch let error as ConnectError {
            return error
        } catch {
            return ConnectError(String(describing: error))
        }
    }
}
