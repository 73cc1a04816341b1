import EngineIOClient
import EngineIOProtocol
import EngineIOServer
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import Testing

/// The Engine.IO client against the Engine.IO server, over real loopback sockets.
@Suite("Engine.IO client")
struct EngineClientTests {
    final class Collector: EngineClientDelegate {
        let received = NIOLockedValueBox<[EngineData]>([])
        let closed = NIOLockedValueBox<EngineClientCloseReason?>(nil)
        let upgraded = NIOLockedValueBox(false)
        func engineClient(_ client: EngineClient, didReceive data: EngineData) { received.withLockedValue { $0.append(data) } }
        func engineClient(_ client: EngineClient, didCloseWith reason: EngineClientCloseReason) { closed.withLockedValue { $0 = reason } }
        func engineClientDidUpgrade(_ client: EngineClient) { upgraded.withLockedValue { $0 = true } }
    }

    /// An echo server; `reasons` collects how sessions ended.
    static func echoServer(_ configuration: EngineServerConfiguration = EngineServerConfiguration(path: "/engine.io/"))
        async throws -> (EngineHTTPServer, NIOLockedValueBox<[EngineCloseReason]>) {
        let reasons = NIOLockedValueBox<[EngineCloseReason]>([])
        let server = EngineServer(configuration: configuration) { session in
            session.delegate = Echo(reasons: reasons)
        }
        return (try await EngineHTTPServer.start(servers: [server]), reasons)
    }

    /// A server on an event loop of its own: stalling that loop stops the server's reads, pings and
    /// answers while its connections stay open.
    static func stallableServer(pingInterval: Int, pingTimeout: Int) async throws -> (EngineHTTPServer, MultiThreadedEventLoopGroup) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let configuration = EngineServerConfiguration(path: "/engine.io/", pingInterval: pingInterval, pingTimeout: pingTimeout)
        let server = EngineServer(configuration: configuration) { _ in }
        return (try await EngineHTTPServer.start(servers: [server], group: group), group)
    }

    /// A client of `http`, connected, with what it is told collected.
    static func connectedClient(_ http: EngineHTTPServer, mode: EngineClientConfiguration.Mode,
                                maxOutboundBufferBytes: Int = 8 << 20) async throws -> (EngineClient, Collector) {
        let configuration = EngineClientConfiguration(host: "127.0.0.1", port: http.port!, path: "/engine.io/", mode: mode,
                                                      maxOutboundBufferBytes: maxOutboundBufferBytes)
        let client = EngineClient(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        let collector = Collector()
        await client.setDelegate(collector)
        _ = try await client.connect()
        return (client, collector)
    }

    final class Echo: EngineSessionDelegate {
        let reasons: NIOLockedValueBox<[EngineCloseReason]>
        init(reasons: NIOLockedValueBox<[EngineCloseReason]>) { self.reasons = reasons }
        func engineSession(_ session: EngineSession, didReceive data: EngineData) { session.send(EnginePacket(.message, data)) }
        func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason) { reasons.withLockedValue { $0.append(reason) } }
    }

    @Test("echo in every mode; the upgrade loses nothing and keeps order",
          arguments: [(EngineClientConfiguration.Mode.polling, EngineTransport.polling), (.websocket, .websocket), (.upgrade, .websocket)])
    func echo(_ mode: EngineClientConfiguration.Mode, _ final: EngineTransport) async throws {
        let (http, reasons) = try await Self.echoServer()
        defer { Task { await http.shutdown() } }
        let group = MultiThreadedEventLoopGroup.singleton
        let client = EngineClient(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, path: "/engine.io/", mode: mode),
                                  group: group)
        let collector = Collector()
        await client.setDelegate(collector)
        let handshake = try await client.connect()
        #expect(handshake.sid.count == 20)
        #expect(handshake.upgrades == (mode == .websocket ? [] : ["websocket"]))
        // Sent straight away, across the upgrade when there is one: all must come back, in order.
        let texts = (0..<50).map { "message \($0) ✓" }
        for text in texts { client.send(text: text) }
        client.send(binary: [0, 1, 255])
        #expect(await eventually { collector.received.withLockedValue { $0.count } == 51 })
        let received = collector.received.withLockedValue { $0 }
        #expect(received == texts.map { EngineData.text($0) } + [.binary([0, 1, 255])])
        if mode == .upgrade { #expect(await eventually { collector.upgraded.withLockedValue { $0 } }) }
        #expect(try await client.eventLoop.submit { client.transport }.get() == final)
        client.close()
        #expect(await eventually { reasons.withLockedValue { $0 } == [.transportClose] })
        // The close packet leaves before the client tells its delegate, so the server may know first.
        #expect(await eventually { collector.closed.withLockedValue { $0 } == .clientClose })
    }

    @Test("the client answers pings, and notices a server that stops pinging", arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func heartbeat(_ mode: EngineClientConfiguration.Mode) async throws {
        let (http, reasons) = try await Self.echoServer(EngineServerConfiguration(path: "/engine.io/", pingInterval: 100, pingTimeout: 2_000))
        let client = EngineClient(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, path: "/engine.io/", mode: mode),
                                  group: MultiThreadedEventLoopGroup.singleton)
        let collector = Collector()
        await client.setDelegate(collector)
        _ = try await client.connect()
        try await Task.sleep(for: .milliseconds(600))   // several ping intervals
        #expect(reasons.withLockedValue { $0 }.isEmpty)
        #expect(collector.closed.withLockedValue { $0 } == nil)
        await http.shutdown()                              // the server goes away
        #expect(await eventually(within: 5) { collector.closed.withLockedValue { $0 } != nil })
        // The close packet, the broken connection or, when the machine is busy, the missing pings:
        // any of them tells the client the server is gone.
        #expect([.serverClose, .transportClose, .transportError, .pingTimeout].contains(collector.closed.withLockedValue { $0 }!))
    }

    @Test("pings keep the client past several watchdog periods; when they stop, it closes with 'ping timeout'",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func watchdog(_ mode: EngineClientConfiguration.Mode) async throws {
        // Stalling the server stops its pings but leaves the connection open: only the client's
        // watchdog (100 + 1,500 ms here) can notice. The pong deadline is wide enough that a busy
        // machine's late pong does not end the session from the server's side first.
        let (http, serverGroup) = try await Self.stallableServer(pingInterval: 100, pingTimeout: 1_500)
        let (_, collector) = try await Self.connectedClient(http, mode: mode)
        try await Task.sleep(for: .milliseconds(3_500))   // two watchdog periods, pinged all along
        #expect(collector.closed.withLockedValue { $0 } == nil)
        let stalled = ContinuousClock.now
        serverGroup.next().execute { usleep(4_000_000) }   // no pings for 4 s
        #expect(await eventually(within: 3.5) { collector.closed.withLockedValue { $0 } != nil })
        #expect(collector.closed.withLockedValue { $0 } == .pingTimeout)
        #expect(ContinuousClock.now - stalled >= .milliseconds(100))   // not at once: a ping may have been on its way
        await http.shutdown()
        try await serverGroup.shutdownGracefully()
    }

    @Test("a server that stops reading: the client closes with 'outbound buffer full' instead of growing",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func outboundBound(_ mode: EngineClientConfiguration.Mode) async throws {
        // Stalling the server stops its reads (WebSocket) and its answers to POSTs (polling).
        let (http, serverGroup) = try await Self.stallableServer(pingInterval: 60_000, pingTimeout: 60_000)
        let (client, collector) = try await Self.connectedClient(http, mode: mode, maxOutboundBufferBytes: 256 << 10)
        serverGroup.next().execute { usleep(3_000_000) }
        let chunk = String(repeating: "x", count: 16 << 10)
        var sent = 0
        // The kernel's socket buffers take several megabytes first; without the bound this would
        // reach the cap and the connection would still be open.
        while collector.closed.withLockedValue({ $0 }) == nil && sent < 64 << 20 {
            client.send(text: chunk)
            sent += chunk.utf8.count
            if sent % (1 << 20) == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(await eventually(within: 2) { collector.closed.withLockedValue { $0 } != nil })
        #expect(collector.closed.withLockedValue { $0 } == .outboundBufferFull)
        await http.shutdown()
        try await serverGroup.shutdownGracefully()
    }

    @Test("a refused handshake is a typed error with the status and body, over either transport",
          arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func refused(mode: EngineClientConfiguration.Mode) async throws {
        let (http, _) = try await Self.echoServer(EngineServerConfiguration(path: "/engine.io/", allowRequest: { _ in false }))
        defer { Task { await http.shutdown() } }
        let client = EngineClient(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, path: "/engine.io/", mode: mode),
                                  group: MultiThreadedEventLoopGroup.singleton)
        await #expect(throws: EngineClientError.handshakeRefused(status: 403, body: EngineErrorCode.forbidden.jsonBody)) {
            try await client.connect()
        }
    }

    @Test("URLs: http and ws are read; https and wss ask for TLS; nonsense is refused with a reason")
    func urls() throws {
        let c = try EngineClientConfiguration(url: "http://127.0.0.1:3000")
        #expect(c.host == "127.0.0.1" && c.port == 3000 && c.path == "/socket.io/")
        let d = try EngineClientConfiguration(url: "ws://[::1]:8080/engine.io")
        #expect(d.host == "::1" && d.port == 8080 && d.path == "/engine.io/")
        let e = try EngineClientConfiguration(url: "https://x:1", caFile: "/tmp/ca.pem")
        #expect(e.tls == ClientTLS(caFile: "/tmp/ca.pem") && e.port == 1)
        #expect(try EngineClientConfiguration(url: "wss://x").port == 443)
        #expect(c.tls == nil)
        #expect(throws: EngineClientError.invalidURL("ftp://x", "the scheme must be http, https, ws or wss")) {
            try EngineClientConfiguration(url: "ftp://x")
        }
        #expect(throws: EngineClientError.invalidURL("http://x:99999", "the port must be a number from 1 to 65535")) {
            try EngineClientConfiguration(url: "http://x:99999")
        }
    }
}
