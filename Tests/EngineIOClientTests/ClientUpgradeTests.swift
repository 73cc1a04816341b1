@testable import EngineIOClient
import EngineIOProtocol
import EngineIOWebSocket
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ProtocolTestSupport
import Testing

/// The client's WebSocket handshake against servers that answer it well and badly: a loopback
/// server that writes whatever the test makes of the request it read.
@Suite("Engine.IO client: the WebSocket handshake")
struct ClientUpgradeTests {
    /// Reads one request head, answers with `answer(head)` (in `pieces` writes 10 ms apart), keeps
    /// the connection open.
    final class CannedAnswer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: @Sendable (String) -> [UInt8]
        let pieces: Int
        let requests: NIOLockedValueBox<[String]>
        private let head = NIOLockedValueBox("")
        init(requests: NIOLockedValueBox<[String]>, pieces: Int, answer: @escaping @Sendable (String) -> [UInt8]) {
            self.requests = requests
            self.pieces = pieces
            self.answer = answer
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = head.withLockedValue { $0 += String(buffer: unwrapInboundIn(data)); return $0 }
            guard text.hasSuffix("\r\n\r\n") else { return }
            requests.withLockedValue { $0.append(text) }
            let bytes = answer(text), size = (bytes.count + pieces - 1) / pieces
            let channel = context.channel
            for (i, start) in stride(from: 0, to: bytes.count, by: size).enumerated() {
                let piece = ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)])
                context.eventLoop.scheduleTask(in: .milliseconds(10 * Int64(i))) { channel.writeAndFlush(piece, promise: nil) }
            }
        }
    }

    /// A server answering every connection with `answer`; the requests it read.
    static func server(pieces: Int = 1, _ answer: @escaping @Sendable (String) -> [UInt8]) async throws
        -> (any Channel, NIOLockedValueBox<[String]>) {
        let requests = NIOLockedValueBox<[String]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CannedAnswer(requests: requests, pieces: pieces, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, requests)
    }

    static func key(in request: String) -> String {
        request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { String($0.dropFirst("sec-websocket-key:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// A 101 with `headers` (the accept value made from the request's key unless given), then `after`.
    static func switching(_ headers: [String]? = nil, accept: String? = nil, after: [UInt8] = []) -> @Sendable (String) -> [UInt8] {
        { request in
            let lines = headers ?? ["Upgrade: websocket", "Connection: Upgrade",
                                    "Sec-WebSocket-Accept: \(accept ?? WebSocketHandshake.acceptValue(forKey: key(in: request)))"]
            return Array(("HTTP/1.1 101 Switching Protocols\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8) + after
        }
    }

    static func connect(_ server: any Channel, headers: [(String, String)] = []) async throws -> EngineHandshake {
        let configuration = EngineClientConfiguration(host: "127.0.0.1", port: server.localAddress!.port!, path: "/engine.io/",
                                                      mode: .websocket, headers: headers)
        let client = EngineClient(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        defer { client.close() }
        return try await client.connect()
    }

    static func failure(_ server: any Channel, headers: [(String, String)] = []) async -> String {
        do {
            _ = try await connect(server, headers: headers)
            return "connected"
        } catch {
            return String(describing: error)
        }
    }

    /// An open packet in one WebSocket text frame from the server (unmasked).
    static let openFrame: [UInt8] = {
        let text = Array(#"0{"sid":"canned","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#.utf8)
        return [0x81, UInt8(text.count)] + text
    }()

    @Test("the request asks for a WebSocket with a fresh key; the open packet sent with the 101 is read")
    func upgradeWithTheOpenPacketInTheSameWrite() async throws {
        let (server, requests) = try await Self.server(Self.switching(after: Self.openFrame))
        defer { server.close(promise: nil) }
        let handshake = try await Self.connect(server, headers: [("X-Trace", "on")])
        #expect(handshake.sid == "canned")
        let request = try #require(requests.withLockedValue { $0 }.first)
        #expect(request.hasPrefix("GET /engine.io/?EIO=4&transport=websocket"))
        for line in ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "X-Trace: on", "Host: 127.0.0.1:"] {
            #expect(request.contains("\r\n" + line), "\(line)")
        }
        #expect(Self.key(in: request).utf8.count == 24)
    }

    @Test("header names are read in any case and Connection as a list; the head may come in pieces")
    func lenientWhereTheRFCIs() async throws {
        let (server, _) = try await Self.server(pieces: 7) { request in
            let accept = WebSocketHandshake.acceptValue(forKey: Self.key(in: request))
            return Array("HTTP/1.1 101 OK\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, upgrade\r\nsec-websocket-accept:\(accept)  \r\n\r\n".utf8)
                + Self.openFrame
        }
        defer { server.close(promise: nil) }
        #expect(try await Self.connect(server).sid == "canned")
    }

    @Test("a 101 that is not the upgrade asked for fails the connection, saying why", arguments: [
        (["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="], "Sec-WebSocket-Accept"),
        (["Connection: Upgrade"], "Upgrade: websocket"),
        (["Upgrade: websocket"], "Connection: upgrade"),
        (["Upgrade: h2c", "Connection: Upgrade"], "Upgrade: websocket"),
    ])
    func badSwitch(headers: [String], reason: String) async throws {
        let (server, _) = try await Self.server(Self.switching(headers))
        defer { server.close(promise: nil) }
        let failure = await Self.failure(server)
        #expect(failure.contains("not a WebSocket upgrade") && failure.contains(reason), "\(failure)")
    }

    @Test("a missing accept header is refused, not taken for a match")
    func missingAccept() async throws {
        let (server, _) = try await Self.server(Self.switching(["Upgrade: websocket", "Connection: Upgrade"]))
        defer { server.close(promise: nil) }
        #expect(await Self.failure(server).contains("Sec-WebSocket-Accept"))
    }

    @Test("an answer that is not HTTP, a folded header and an endless head each fail with a reason")
    func notHTTP() async throws {
        let cases: [(@Sendable (String) -> [UInt8], String)] = [
            ({ _ in Array("SSH-2.0-OpenSSH_9.6\r\n\r\n".utf8) }, "is not HTTP"),
            ({ _ in Array("HTTP/1.1 101 Switching\r\nUpgrade: websocket\r\n folded\r\n\r\n".utf8) }, "is not HTTP"),
            ({ _ in Array("HTTP/1.1 101 Switching\r\n".utf8) + [UInt8](repeating: 0x61, count: 20_000) }, "head over 16384 bytes"),
        ]
        for (answer, reason) in cases {
            let (server, _) = try await Self.server(answer)
            let failure = await Self.failure(server)
            #expect(failure.contains(reason), "\(failure)")
            server.close(promise: nil)
        }
    }

    @Test("a refusal is read whole by the HTTP decoder: status and body, also chunked")
    func refusals() async throws {
        let body = #"{"code":4,"message":"Forbidden"}"#
        let plain = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let chunked = "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"cod\r\n\(String(body.utf8.count - 5, radix: 16))\r\n\(body.dropFirst(5))\r\n0\r\n\r\n"
        for answer in [plain, chunked] {
            let (server, _) = try await Self.server { _ in Array(answer.utf8) }
            await #expect(throws: EngineClientError.handshakeRefused(status: 403, body: body)) { _ = try await Self.connect(server) }
            server.close(promise: nil)
        }
    }

    @Test("an extra header that would break the request is refused before anything is sent")
    func unsendableHeader() async throws {
        let (server, requests) = try await Self.server(Self.switching())
        defer { server.close(promise: nil) }
        for header in [("X-A", "one\r\nInjected: yes"), ("Bad Name", "v"), ("", "v")] {
            let failure = await Self.failure(server, headers: [header])
            #expect(failure.contains("cannot be sent"), "\(failure)")
        }
        #expect(requests.withLockedValue { $0 }.isEmpty)
    }
}

@Suite("Engine.IO client: connection failures in words")
struct ConnectFailureTests {
    @Test("each system error reads as what happened", arguments: [
        (ECONNREFUSED, "nothing accepts connections at h:1 (connection refused)"),
        (ETIMEDOUT, "no answer from h:1 (timed out)"),
        (EHOSTUNREACH, "h cannot be reached (no route)"),
        (ECONNRESET, "h:1 reset the connection"),
        (EMFILE, "no file descriptor left for another connection (the open-file limit, ulimit -n, is reached)"),
        (EACCES, "h:1: Permission denied"),
    ])
    func systemErrors(code: Int32, text: String) {
        #expect(ConnectFailure.describe(IOError(errnoCode: code, reason: "connect"), host: "h", port: 1) == text)
    }

    @Test("NIO's connect timeout reads as one")
    func nioTimeout() {
        #expect(ConnectFailure.describe(ChannelError.connectTimeout(.seconds(10)), host: "h", port: 1) == "no answer from h:1 within 10 s")
    }

    @Test("nothing listening: said so, in every mode", arguments: [EngineClientConfiguration.Mode.websocket, .polling, .upgrade])
    func refused(mode: EngineClientConfiguration.Mode) async throws {
        // A port that was just free: bound, then closed.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close()
        let client = EngineClient(configuration: EngineClientConfiguration(host: "127.0.0.1", port: port, mode: mode),
                                  group: MultiThreadedEventLoopGroup.singleton)
        await #expect(throws: EngineClientError.connectionFailed("nothing accepts connections at 127.0.0.1:\(port) (connection refused)")) {
            try await client.connect()
        }
    }
}

@Suite("Engine.IO client: a server that never answers")
struct ConnectTimeoutTests {
    /// Accepts connections, reads what comes, answers nothing; counts the connections closed.
    final class Silent: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let closed: NIOLockedValueBox<Int>
        init(closed: NIOLockedValueBox<Int>) { self.closed = closed }
        func channelInactive(context: ChannelHandlerContext) { closed.withLockedValue { $0 += 1 } }
    }

    static func silentServer() async throws -> (any Channel, NIOLockedValueBox<Int>) {
        let closed = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Silent(closed: closed)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, closed)
    }

    @Test("the attempt fails with timedOut after connectTimeout and closes its connection, in every mode",
          arguments: [EngineClientConfiguration.Mode.websocket, .polling, .upgrade])
    func silent(mode: EngineClientConfiguration.Mode) async throws {
        let (server, closed) = try await Self.silentServer()
        defer { server.close(promise: nil) }
        let configuration = EngineClientConfiguration(host: "127.0.0.1", port: server.localAddress!.port!, mode: mode,
                                                      connectTimeout: .milliseconds(300))
        let client = EngineClient(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        let started = ContinuousClock.now
        await #expect(throws: EngineClientError.timedOut(.milliseconds(300))) { try await client.connect() }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300) && waited < .seconds(5), "\(waited)")
        let closedAtAll = await eventually(within: 5) { closed.withLockedValue { $0 } >= 1 }
        #expect(closedAtAll && closed.withLockedValue { $0 } == 1, "connections closed: \(closed.withLockedValue { $0 })")
    }

    @Test("a WebSocket that upgrades but never sends the open packet times out too")
    func upgradedButSilent() async throws {
        let (server, _) = try await ClientUpgradeTests.server(ClientUpgradeTests.switching())
        defer { server.close(promise: nil) }
        let configuration = EngineClientConfiguration(host: "127.0.0.1", port: server.localAddress!.port!, mode: .websocket,
                                                      connectTimeout: .milliseconds(300))
        let client = EngineClient(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        await #expect(throws: EngineClientError.timedOut(.milliseconds(300))) { try await client.connect() }
    }
}
