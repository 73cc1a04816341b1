import SocketIOTrace

/// A named connection middleware: socket.io's `use((socket, next) => ...)`. Throwing refuses the
/// connection (a `ConnectError` carries message and data; any other error sends its description).
/// Names let the console list middleware, show each decision, and override one at runtime.
public struct Middleware: Sendable {
    public let name: String
    let body: Body

    enum Body: Sendable {
        case waiting(@Sendable (ServerSocket) async throws -> Void)
        case immediate(@Sendable (ServerSocket) throws -> Void)
    }

    public init(_ name: String, _ run: @escaping @Sendable (ServerSocket) async throws -> Void) {
        self.name = name
        self.body = .waiting(run)
    }

    /// A middleware that decides without waiting for anything (checks on the handshake, the auth,
    /// the headers). A chain of these runs on the connection's event loop, in the turn the CONNECT
    /// arrived: no task, no thread hop.
    public static func immediate(_ name: String, _ decide: @escaping @Sendable (ServerSocket) throws -> Void) -> Middleware {
        Middleware(name: name, body: .immediate(decide))
    }

    private init(name: String, body: Body) {
        self.name = name
        self.body = body
    }

    /// Runs the middleware's own rule (async middleware are awaited, immediate ones just called).
    func run(_ socket: ServerSocket) async throws {
        switch body {
        case .waiting(let run): try await run(socket)
        case .immediate(let decide): try decide(socket)
        }
    }
}

extension Middleware {
    /// Runs an HTTP-style check on the request that opened the connection (cookies, sessions,
    /// headers): the Swift form of socket.io's `wrap(expressMiddleware)`. Throwing refuses.
    public static func http(_ name: String, _ check: @escaping @Sendable (EngineRequest) async throws -> Void) -> Middleware {
        Middleware(name) { socket in try await check(socket.handshake.request) }
    }
}

/// What a chain decided: the first refusal stops it.
enum MiddlewareVerdict: Sendable {
    case admit
    case refuse(ConnectError)
}

/// Runs a chain in order and records a decision per step; the first refusal stops it.
enum MiddlewareChain {
    static func run(_ chain: [Middleware], overrides: [String: MiddlewareOverride], socket: ServerSocket,
                    trace: (any TraceSink)?) async -> MiddlewareVerdict {
        for middleware in chain {
            let step = Step(middleware: middleware, override: overrides[middleware.name])
            var refusal = step.forcedRefusal
            if refusal == nil {
                if case .delay(let ms)? = step.override { try? await Task.sleep(for: .milliseconds(ms)) }
                refusal = await step.evaluate(socket)
            }
            step.record(refusal, socket: socket, trace: trace)
            if let refusal { return .refuse(refusal) }
        }
        return .admit
    }

    /// The verdict at once, on the calling thread, when no step has to wait (every middleware is
    /// immediate and none is delayed by an override); nil otherwise.
    static func decideNow(_ chain: [Middleware], overrides: [String: MiddlewareOverride], socket: ServerSocket,
                          trace: (any TraceSink)?) -> MiddlewareVerdict? {
        guard chain.allSatisfy({ Step.decidesNow($0, override: overrides[$0.name]) }) else { return nil }
        for middleware in chain {
            let step = Step(middleware: middleware, override: overrides[middleware.name])
            let refusal = step.forcedRefusal ?? step.evaluateNow(socket)
            step.record(refusal, socket: socket, trace: trace)
            if let refusal { return .refuse(refusal) }
        }
        return .admit
    }

    /// One middleware with its override, if any, and the clock of its decision.
    private struct Step {
        let middleware: Middleware
        let override: MiddlewareOverride?
        let start = ContinuousClock.now

        var forcedRefusal: ConnectError? {
            if case .reject(let message, let data)? = override { return ConnectError(message, data: data) }
            return nil
        }

        var forced: Bool {
            if case .reject? = override { return true }
            return false
        }

        static func decidesNow(_ middleware: Middleware, override: MiddlewareOverride?) -> Bool {
            switch override {
            case .reject?: return true
            case .delay?: return false
            case nil:
                if case .immediate = middleware.body { return true }
                return false
            }
        }

        func evaluate(_ socket: ServerSocket) async -> ConnectError? {
            do {
                try await middleware.run(socket)
                return nil
            } catch {
                return Self.refusal(from: error)
            }
        }

        func evaluateNow(_ socket: ServerSocket) -> ConnectError? {
            guard case .immediate(let decide) = middleware.body else { return nil }
            do {
                try decide(socket)
                return nil
            } catch {
                return Self.refusal(from: error)
            }
        }

        static func refusal(from error: any Error) -> ConnectError {
            (error as? ConnectError) ?? ConnectError(String(describing: error))
        }

        func record(_ refusal: ConnectError?, socket: ServerSocket, trace: (any TraceSink)?) {
            guard let trace else { return }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            trace.record(.middleware(MiddlewareDecision(
                namespace: socket.namespace.name, socketID: socket.id, middleware: middleware.name,
                verdict: refusal.map { .reject(message: $0.message, data: $0.data) } ?? .allow,
                forced: forced, durationSeconds: seconds)))
        }
    }
}
