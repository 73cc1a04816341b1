/// Other HTTP paths on the Engine.IO listener (a health check, metrics, a page that loads the
/// client), as engine.io attaches to an application's HTTP server. Requests for an Engine.IO path
/// never reach it; every other request does, with its body, and the handler's answer is sent as is.
/// Answering nil sends 404, as a listener without routes does.
///
///     let routes = HTTPRoutes { request, _ in
///         request.path == "/health" ? .text("ok") : nil
///     }
///     let http = try await io.start(port: 3000, routes: routes)
public struct HTTPRoutes: Sendable {
    public typealias Handler = @Sendable (_ request: EngineRequest, _ body: [UInt8]) async -> HTTPResponse?

    /// Longest request body passed to the handler; a longer one is answered 413 without calling it.
    public var maxBodyBytes: Int
    let handler: Handler

    public init(maxBodyBytes: Int = 1_000_000, _ handler: @escaping Handler) {
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }
}

/// A whole HTTP response from an `HTTPRoutes` handler. Content-Length is added when sent.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(status: Int = 200, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 body with its content type (plain text unless told otherwise).
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=UTF-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [Header("Content-Type", contentType)], body: Array(text.utf8))
    }
}
