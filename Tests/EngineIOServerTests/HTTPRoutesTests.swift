import EngineIOProtocol
import EngineIOServer
import Foundation
import NIOConcurrencyHelpers
import Testing

/// Other HTTP paths on the Engine.IO listener: the application's routes answer them, Engine.IO's
/// own path is untouched, and without routes (or when they answer nil) it is 404 as before.
@Suite("HTTP routes beside Engine.IO")
struct HTTPRoutesTests {
    static func start(routes: HTTPRoutes?) async throws -> (EngineHTTPServer, String) {
        let server = EngineServer(configuration: EngineServerConfiguration(path: "/engine.io/")) { session in
            session.delegate = EchoDelegate(closed: NIOLockedValueBox([:]))
        }
        let http = try await EngineHTTPServer.start(servers: [server], routes: routes)
        return (http, "http://127.0.0.1:\(http.port!)")
    }

    static let routes = HTTPRoutes(maxBodyBytes: 64) { request, body in
        switch (request.method, request.path) {
        case ("GET", "/health"):
            return .text("ok")
        case ("POST", "/echo"):
            let who = request.query["who"] ?? "nobody"
            return HTTPResponse(status: 201, headers: [.init("Content-Type", "application/octet-stream"), .init("X-Who", who)],
                                body: body)
        case ("GET", "/slow"):
            try? await Task.sleep(for: .milliseconds(50))   // an answer that awaits
            return .text(#"{"late":true}"#, contentType: "application/json")
        default:
            return nil
        }
    }

    @Test("a route's answer is sent as given: status, headers, body, query, and a body that awaited")
    func answers() async throws {
        let (http, base) = try await Self.start(routes: Self.routes)
        defer { Task { await http.shutdown() } }
        let health = try await HTTP.send(URL(string: base + "/health")!)
        #expect(health.status == 200)
        #expect(health.body == "ok")
        #expect(health.headers["content-type"] == "text/plain; charset=UTF-8")
        let echo = try await HTTP.send(URL(string: base + "/echo?who=me")!, method: "POST", body: "hello")
        #expect(echo.status == 201)
        #expect(echo.body == "hello")
        #expect(echo.headers["x-who"] == "me")
        #expect(echo.headers["content-type"] == "application/octet-stream")
        let slow = try await HTTP.send(URL(string: base + "/slow")!)
        #expect(slow.body == #"{"late":true}"#)
        #expect(slow.headers["content-type"] == "application/json")
    }

    @Test("nil from the routes is 404; a body past maxBodyBytes is 413 without the handler")
    func refusals() async throws {
        let calls = NIOLockedValueBox(0)
        let routes = HTTPRoutes(maxBodyBytes: 8) { _, _ in
            calls.withLockedValue { $0 += 1 }
            return nil
        }
        let (http, base) = try await Self.start(routes: routes)
        defer { Task { await http.shutdown() } }
        let missing = try await HTTP.send(URL(string: base + "/nothing")!)
        #expect(missing.status == 404)
        #expect(missing.body == "Not Found")
        let large = try await HTTP.send(URL(string: base + "/upload")!, method: "POST", body: String(repeating: "x", count: 9))
        #expect(large.status == 413)
        #expect(calls.withLockedValue { $0 } == 1)
    }

    @Test("Engine.IO's path is served by Engine.IO, not the routes; without routes other paths stay 404")
    func engineFirst() async throws {
        let (http, base) = try await Self.start(routes: Self.routes)
        defer { Task { await http.shutdown() } }
        let open = try await HTTP.send(URL(string: base + "/engine.io/?EIO=4&transport=polling")!)
        #expect(open.status == 200)
        #expect(try PollingPayload.decode(open.body).first?.type == .open)
        let (plain, plainBase) = try await Self.start(routes: nil)
        defer { Task { await plain.shutdown() } }
        #expect(try await HTTP.send(URL(string: plainBase + "/health")!).status == 404)
    }
}
