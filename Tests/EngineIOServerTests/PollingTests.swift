import EngineIOProtocol
import EngineIOServer
import Foundation
import Testing

/// Raw HTTP against the server: what the Engine.IO v4 specification says a server answers.
@Suite("Engine.IO server over HTTP long-polling")
struct PollingTests {
    @Test("the handshake opens a session with the configured parameters")
    func handshake() async throws {
        // Long enough that the session cannot time out before it is looked up, whatever the load.
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", pingInterval: 30_000, pingTimeout: 7_000))
        defer { Task { await harness.stop() } }
        let open = try await HTTP.handshake(harness)
        #expect(open.sid.count == 20)
        #expect(open.upgrades == ["websocket"])
        #expect(open.pingInterval == 30_000)
        #expect(open.pingTimeout == 7_000)
        #expect(open.maxPayload == 1_000_000)
        #expect(harness.server.session(id: open.sid) != nil)
    }

    @Test("ids are 20 URL-safe characters, all different, using the whole alphabet")
    func randomIDs() {
        let ids = (0..<2_000).map { _ in makeRandomID() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(ids.allSatisfy { $0.count == 20 && $0.allSatisfy(alphabet.contains) })
        #expect(Set(ids).count == ids.count)
        // 40,000 characters drawn from 64: every one of them appears (a bit-slicing mistake would
        // leave some out, or repeat a position's character).
        #expect(Set(ids.joined()) == alphabet)
        #expect(Set(ids.map { $0.last! }).count == 64)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var query: String
        var method = "GET"
        var status = 400
        var code: Int
        var testDescription: String { "\(method) ?\(query)" }
    }

    static let refusals: [Refusal] = [
        Refusal(query: "transport=polling", code: 5),
        Refusal(query: "EIO=3&transport=polling", code: 5),
        Refusal(query: "EIO=4", code: 0),
        Refusal(query: "EIO=4&transport=flashsocket", code: 0),
        Refusal(query: "EIO=4&transport=polling&sid=unknown", code: 1),
        Refusal(query: "EIO=4&transport=polling&sid=unknown", method: "POST", code: 1),
        Refusal(query: "EIO=4&transport=polling", method: "POST", code: 2),
        Refusal(query: "EIO=4&transport=polling", method: "PUT", code: 2),
        Refusal(query: "EIO=4&transport=websocket", code: 3),
    ]

    @Test("bad requests get 400 and the reference server's code", arguments: refusals)
    func refused(_ r: Refusal) async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await HTTP.send(harness.url(r.query), method: r.method, body: r.method == "GET" ? nil : "40")
        #expect(reply.status == r.status)
        let code = try #require(EngineErrorCode(rawValue: r.code))
        #expect(reply.body == code.jsonBody)
        #expect(reply.headers["content-type"] == "application/json")
    }

    @Test("a path that is not mounted is 404")
    func notFound() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await HTTP.send(URL(string: "http://127.0.0.1:\(harness.http.port!)/socket.io/?EIO=4&transport=polling")!)
        #expect(reply.status == 404)
    }

    @Test("POSTed packets are taken, answered ok, and the echo arrives on the next GET, in order")
    func postThenPoll() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let post = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(sid)"), method: "POST",
                                       body: "4one\u{1e}4two ✓\u{1e}bAQID")
        #expect(post.status == 200)
        #expect(post.body == "ok")
        let poll = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(sid)"))
        #expect(try PollingPayload.decode(poll.body) == [.message("one"), .message("two ✓"), .binary([1, 2, 3])])
    }

    @Test("a body over maxHttpBufferSize is 413 and ends the session")
    func tooLarge() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", maxHttpBufferSize: 100))
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let post = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(sid)"), method: "POST",
                                       body: "4" + String(repeating: "x", count: 200))
        #expect(post.status == 413)
        #expect(await harness.closeReason(of: sid) == .transportError)
    }

    @Test("a body that is not Engine.IO is 400 and ends the session with parse error")
    func parseError() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let post = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(sid)"), method: "POST", body: "4ok\u{1e}9bad")
        #expect(post.status == 400)
        #expect(await harness.closeReason(of: sid) == .parseError)
        let again = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(sid)"))
        #expect(again.body == EngineErrorCode.sessionIDUnknown.jsonBody)
    }

    @Test("two long-polls at once: the second is 400, the first gets a close packet, the session ends")
    func overlappingPolls() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let url = harness.url("EIO=4&transport=polling&sid=\(sid)")
        // Whichever arrives second is refused; the one being held is released with a close packet.
        async let first = HTTP.send(url)
        async let second = HTTP.send(url)
        let replies = try await [first, second].sorted { $0.status < $1.status }
        #expect(replies.map(\.status) == [200, 400])
        #expect(replies[0].body == "1")
        #expect(await harness.closeReason(of: sid) == .transportError)
    }

    @Test("closed by the server between two GETs: a POST is taken, the next GET gets what was queued and the close, a later one 400")
    func closeBetweenPolls() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let session = try #require(harness.server.session(id: sid))
        session.send(text: "bye")
        session.close()
        // The upper layer hears at once; the client hears on its next request, as with the reference server.
        #expect(await harness.closeReason(of: sid) == .forcedClose)
        let url = harness.url("EIO=4&transport=polling&sid=\(sid)")
        // A POST crossing the close (a pong, say) is taken and dropped, not refused.
        let crossing = try await HTTP.send(url, method: "POST", body: "4ignored")
        #expect(crossing.status == 200)
        let last = try await HTTP.send(url)
        #expect(last.status == 200)
        #expect(try PollingPayload.decode(last.body).map(\.type) == [.message, .close])
        #expect(try PollingPayload.decode(last.body).first?.text == "bye")
        let after = try await HTTP.send(url)
        #expect(after.status == 400)
        #expect(after.body.contains("\"code\":1"))
        #expect(harness.server.session(id: sid) == nil)
    }

    @Test("the server pings every pingInterval; a client that never pongs is dropped with ping timeout")
    func heartbeat() async throws {
        // The pong deadline is generous so that answering in time never depends on machine load.
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", pingInterval: 200, pingTimeout: 1_500))
        defer { Task { await harness.stop() } }
        let sid = try await HTTP.handshake(harness).sid
        let url = harness.url("EIO=4&transport=polling&sid=\(sid)")
        // First ping: answer it. Second: ignore it.
        #expect(try await HTTP.send(url).body == "2")
        #expect(try await HTTP.send(url, method: "POST", body: "3").body == "ok")
        #expect(try await HTTP.send(url).body == "2")
        #expect(await harness.closeReason(of: sid, within: 5) == .pingTimeout)
    }

    @Test("CORS: no headers by default; configured origins get them, and preflight is answered")
    func cors() async throws {
        let plain = try await EchoHarness.start()
        let reply = try await HTTP.send(plain.url("EIO=4&transport=polling"), headers: ["Origin": "http://app.test"])
        #expect(reply.headers["access-control-allow-origin"] == nil)
        await plain.stop()

        let harness = try await EchoHarness.start(EngineServerConfiguration(
            path: "/engine.io/", cors: CORSConfiguration(origins: .list(["http://app.test"]), credentials: true)))
        defer { Task { await harness.stop() } }
        let allowed = try await HTTP.send(harness.url("EIO=4&transport=polling"), headers: ["Origin": "http://app.test"])
        #expect(allowed.headers["access-control-allow-origin"] == "http://app.test")
        #expect(allowed.headers["access-control-allow-credentials"] == "true")
        let other = try await HTTP.send(harness.url("EIO=4&transport=polling"), headers: ["Origin": "http://evil.test"])
        #expect(other.headers["access-control-allow-origin"] == nil)
        let preflight = try await HTTP.send(harness.url("EIO=4&transport=polling"), method: "OPTIONS",
                                            headers: ["Origin": "http://app.test", "Access-Control-Request-Headers": "x-token"])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-headers"] == "x-token")
    }

    @Test("allowRequest can refuse a handshake with 403 and code 4")
    func allowRequest() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(
            path: "/engine.io/", allowRequest: { request in request.headers["x-token"] == "secret" }))
        defer { Task { await harness.stop() } }
        let refused = try await HTTP.send(harness.url("EIO=4&transport=polling"))
        #expect(refused.status == 403)
        #expect(refused.body == EngineErrorCode.forbidden.jsonBody)
        let accepted = try await HTTP.send(harness.url("EIO=4&transport=polling"), headers: ["X-Token": "secret"])
        #expect(accepted.status == 200)
    }
}
