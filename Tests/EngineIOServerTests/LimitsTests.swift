import EngineIOProtocol
import EngineIOServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ProtocolTestSupport
import Testing

/// The listener's and the session's bounds on untrusted peers (docs/HOSTILE.md lists them all).
@Suite("Limits on what a peer may cost")
struct LimitsTests {
    @Test("a connection past maxConnections gets a 503 and is closed; a freed place is taken again")
    func maxConnections() async throws {
        let http = try await EchoHarness.start(limits: ListenerLimits(maxConnections: 2)).http
        defer { Task { await http.shutdown() } }
        let first = try await RawTCP.connect(port: http.port!)
        let second = try await RawTCP.connect(port: http.port!)
        #expect(await eventually { http.connectionCount == 2 })
        let third = try await RawTCP.connect(port: http.port!)
        #expect(await third.closed(within: 5))
        #expect(third.text.hasPrefix("HTTP/1.1 503"))
        #expect(third.text.hasSuffix("too many connections"))
        #expect(!second.isClosed)
        await first.close()
        #expect(await eventually { http.connectionCount == 1 })
        let fourth = try await RawTCP.connect(port: http.port!)
        try await fourth.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { fourth.text.hasPrefix("HTTP/1.1 200") })
        await second.close()
        await fourth.close()
    }

    @Test("a request head that does not arrive within headerTimeout closes the connection")
    func headerTimeout() async throws {
        let http = try await EchoHarness.start(limits: ListenerLimits(headerTimeout: .seconds(1))).http
        defer { Task { await http.shutdown() } }
        let started = ContinuousClock.now
        let silent = try await RawTCP.connect(port: http.port!)
        let dripping = try await RawTCP.connect(port: http.port!)
        // Half a head, then a header line now and then: never a complete head.
        let drip = Task {
            try? await dripping.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n")
            while !dripping.isClosed {
                try? await dripping.send("X-Drip: 1\r\n")
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(await silent.closed(within: 10))
        #expect(await dripping.closed(within: 10))
        drip.cancel()
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(8))
        #expect(dripping.text.isEmpty)
    }

    @Test("a held long-poll is not cut by the header timeout")
    func heldPollOutlivesHeaderTimeout() async throws {
        // 2 s, not less: with the whole suite running on two cores, a pause of a second between
        // connecting and sending the first head happened, and the first head is what it bounds.
        let http = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", pingInterval: 4_000, pingTimeout: 10_000),
                                               limits: ListenerLimits(headerTimeout: .seconds(2))).http
        defer { Task { await http.shutdown() } }
        let connection = try await RawTCP.connect(port: http.port!)
        try await connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { connection.text.contains("\"sid\":\"") })
        let sid = String(connection.text.split(separator: "\"sid\":\"")[1].prefix(20))
        connection.clear()
        // The poll is held until the server's ping, 4 s later: far past the 2 s header timeout.
        try await connection.send("GET /engine.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually(within: 10) { connection.text.hasSuffix("2") })
        #expect(connection.text.hasPrefix("HTTP/1.1 200"))
        await connection.close()
    }

    @Test("a request target over maxURLBytes gets 414, a head over maxHeaderBytes gets 400")
    func oversizedHeads() async throws {
        let http = try await EchoHarness.start(limits: ListenerLimits(maxHeaderBytes: 4_096, maxURLBytes: 1_024)).http
        defer { Task { await http.shutdown() } }
        let longURL = try await RawTCP.connect(port: http.port!)
        try await longURL.send("GET /engine.io/?EIO=4&transport=polling&pad=\(String(repeating: "a", count: 2_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await longURL.closed(within: 5))
        #expect(longURL.text.hasPrefix("HTTP/1.1 414"))
        let bigHead = try await RawTCP.connect(port: http.port!)
        let padding = (0..<10).map { "X-Pad-\($0): \(String(repeating: "b", count: 500))\r\n" }.joined()
        try await bigHead.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\(padding)\r\n")
        #expect(await bigHead.closed(within: 5))
        #expect(bigHead.text.hasPrefix("HTTP/1.1 400"))
    }

    @Test("a head with more fields than maxHeaderFields gets 400, upgrade or not; one under it is served")
    func headerFieldCount() async throws {
        let http = try await EchoHarness.start(limits: ListenerLimits(maxHeaderFields: 40)).http
        defer { Task { await http.shutdown() } }
        let upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        func head(transport: String, fields: Int) -> String {
            let extra = (0..<fields).map { "a\($0): b\r\n" }.joined()
            return "GET /engine.io/?EIO=4&transport=\(transport) HTTP/1.1\r\nHost: x\r\n\(extra)\(transport == "websocket" ? upgrade : "")\r\n"
        }
        for transport in ["polling", "websocket"] {
            let tooMany = try await RawTCP.connect(port: http.port!)
            try await tooMany.send(head(transport: transport, fields: 60))
            #expect(await tooMany.closed(within: 5), "\(transport)")
            #expect(tooMany.text.hasPrefix("HTTP/1.1 400"), "\(transport): \(tooMany.text.prefix(40))")
            let fewer = try await RawTCP.connect(port: http.port!)
            try await fewer.send(head(transport: transport, fields: 30))
            let served = transport == "polling" ? "HTTP/1.1 200" : "HTTP/1.1 101"
            #expect(await eventually { fewer.text.hasPrefix(served) }, "\(transport): \(fewer.text.prefix(40))")
            await fewer.close()
        }
    }

    @Test("without CORS, a foreign Origin is refused (403) and the server's own origin is not")
    func originWithoutCORS() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let port = harness.http.port!
        let foreign = try await HTTP.send(harness.url("EIO=4&transport=polling"), headers: ["Origin": "http://evil.example"])
        #expect(foreign.status == 403)
        #expect(foreign.body.contains("\"code\":4"))
        let own = try await HTTP.send(harness.url("EIO=4&transport=polling"), headers: ["Origin": "http://127.0.0.1:\(port)"])
        #expect(own.status == 200)
        let none = try await HTTP.send(harness.url("EIO=4&transport=polling"))
        #expect(none.status == 200)
    }

    @Test("a polling client that does not come back is closed with 'outbound buffer full' past maxOutboundBufferBytes")
    func outboundBufferFull() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", maxOutboundBufferBytes: 4_096))
        defer { Task { await harness.stop() } }
        let open = try await HTTP.handshake(harness)
        // Every message is echoed into the outbox; nobody polls.
        let message = "4" + String(repeating: "m", count: 1_000)
        for _ in 0..<3 {
            let reply = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(open.sid)"), method: "POST", body: message)
            #expect(reply.status == 200)
        }
        #expect(harness.closed.withLockedValue { $0[open.sid] } == nil)
        _ = try await HTTP.send(harness.url("EIO=4&transport=polling&sid=\(open.sid)"), method: "POST",
                                body: Array(repeating: message, count: 2).joined(separator: "\u{1e}"))
        #expect(await harness.closeReason(of: open.sid) == .outboundBufferFull)
    }
}

/// A plain TCP connection to the server for requests no HTTP client would send.
final class RawTCP: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<[UInt8]>

    static func connect(port: Int) async throws -> RawTCP {
        let received = NIOLockedValueBox<[UInt8]>([])
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(received: received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawTCP(channel: channel, received: received)
    }

    private init(channel: any Channel, received: NIOLockedValueBox<[UInt8]>) {
        self.channel = channel
        self.received = received
    }

    var text: String { String(decoding: received.withLockedValue { $0 }, as: UTF8.self) }
    var isClosed: Bool { !channel.isActive }
    func clear() { received.withLockedValue { $0 = [] } }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(string: text)).get()
    }

    func closed(within seconds: Double) async -> Bool {
        await eventually(within: seconds) { !channel.isActive }
    }

    func close() async { try? await channel.close() }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<[UInt8]>
        init(received: NIOLockedValueBox<[UInt8]>) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            received.withLockedValue { $0 += bytes }
        }
    }
}
