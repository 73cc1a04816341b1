import EngineIOProtocol
import EngineIOServer
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running echo server on 127.0.0.1, port 0: every message goes back to its sender.
final class EchoHarness: Sendable {
    let http: EngineHTTPServer
    let server: EngineServer
    let closed: NIOLockedValueBox<[String: EngineCloseReason]>
    let base: String

    static func start(_ configuration: EngineServerConfiguration = EngineServerConfiguration(path: "/engine.io/"),
                      limits: ListenerLimits = ListenerLimits()) async throws -> EchoHarness {
        let closed = NIOLockedValueBox<[String: EngineCloseReason]>([:])
        let server = EngineServer(configuration: configuration) { session in
            session.delegate = EchoDelegate(closed: closed)
        }
        let http = try await EngineHTTPServer.start(servers: [server], limits: limits)
        return EchoHarness(http: http, server: server, closed: closed)
    }

    private init(http: EngineHTTPServer, server: EngineServer, closed: NIOLockedValueBox<[String: EngineCloseReason]>) {
        self.http = http
        self.server = server
        self.closed = closed
        base = "http://127.0.0.1:\(http.port!)\(server.configuration.path)"
    }

    func url(_ query: String) -> URL { URL(string: base + "?" + query)! }

    /// Waits (polling every 20 ms, at most `seconds`) until the session's close reason is known.
    func closeReason(of sid: String, within seconds: Double = 5) async -> EngineCloseReason? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let reason = closed.withLockedValue({ $0[sid] }) { return reason }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func stop() async { await http.shutdown() }
}

final class EchoDelegate: EngineSessionDelegate {
    let closed: NIOLockedValueBox<[String: EngineCloseReason]>
    init(closed: NIOLockedValueBox<[String: EngineCloseReason]>) { self.closed = closed }

    func engineSession(_ session: EngineSession, didReceive data: EngineData) {
        session.send(EnginePacket(.message, data))
    }

    func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason) {
        closed.withLockedValue { $0[session.id] = reason }
    }
}

struct HTTPReply {
    var status: Int
    var body: String
    var headers: [String: String]
}

enum HTTP {
    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        // Many tests hold long-polls at once on 127.0.0.1; the default per-host limit would queue them.
        config.httpMaximumConnectionsPerHost = 256
        return URLSession(configuration: config)
    }()

    static func send(_ url: URL, method: String = "GET", body: String? = nil, headers: [String: String] = [:]) async throws -> HTTPReply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields { lowered[String(describing: name).lowercased()] = String(describing: value) }
        return HTTPReply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: lowered)
    }

    /// Opens a polling session and returns its handshake.
    static func handshake(_ harness: EchoHarness) async throws -> EngineHandshake {
        let reply = try await send(harness.url("EIO=4&transport=polling"))
        #expect(reply.status == 200)
        let packets = try PollingPayload.decode(reply.body)
        let open = try #require(packets.first)
        #expect(open.type == .open)
        return try EngineHandshake(jsonText: try #require(open.text))
    }
}
