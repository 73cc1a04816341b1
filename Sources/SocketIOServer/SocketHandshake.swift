/// What the client said when it connected: HTTP facts of the Engine.IO request plus the CONNECT
/// packet's auth. socket.io's `socket.handshake`.
public struct SocketHandshake: Sendable {
    /// Header names lower-cased.
    public var headers: [String: String]
    public var query: [String: String]
    /// The CONNECT packet's payload (`{}` when none).
    public var auth: JSONObject
    public var address: String?
    /// Seconds since 1970 of the Engine.IO handshake.
    public var time: Double
    public var url: String
    public var secure: Bool
    /// The HTTP request that opened the connection, for HTTP-style checks (cookies, sessions).
    public var request: EngineRequest

    init(request: EngineRequest, auth: JSONObject) {
        headers = request.headers
        query = request.query
        self.auth = auth
        address = request.remoteAddress
        time = request.time
        url = request.uri
        secure = request.secure
        self.request = request
    }
}
