import EngineIOProtocol
@testable import EngineIOServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ProtocolTestSupport
import Testing

/// A TCP connection that writes raw bytes and collects what comes back.
final class RawConnection: Sendable {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = NIOLockedValueBox<[UInt8]>([])
        let closed = NIOLockedValueBox(false)
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLockedValue { $0 += buffer.readableBytesView }
        }
        func channelInactive(context: ChannelHandlerContext) { closed.withLockedValue { $0 = true } }
    }

    let channel: any Channel
    let collector: Collector

    init(port: Int) async throws {
        let collector = Collector()
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        self.collector = collector
    }

    func send(_ bytes: [UInt8]) async throws { try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get() }
    func send(_ text: String) async throws { try await send(Array(text.utf8)) }
    var received: [UInt8] { collector.bytes.withLockedValue { $0 } }
    var text: String { String(decoding: received, as: UTF8.self) }
    var closed: Bool { collector.closed.withLockedValue { $0 } }
    func close() { channel.close(promise: nil) }

    /// Waits until what came back contains `needle` (or `seconds` pass).
    func waitFor(_ needle: String, within seconds: Double = 5) async -> Bool {
        await eventually(within: seconds) { self.text.contains(needle) }
    }
}

/// The first request of a connection: a plain WebSocket upgrade is served by `FirstRequestHandler`
/// itself; everything else reaches NIO's HTTP pipeline with its first byte.
@Suite("Engine.IO server: the first request of a connection")
struct FirstRequestTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    static func upgrade(_ query: String = "EIO=4&transport=websocket", extra: String = "") -> String {
        "GET /engine.io/?\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n"
    }

    /// A masked client text frame (mask 0: the payload as is).
    static func frame(_ text: String) -> [UInt8] {
        [0x81, 0x80 | UInt8(text.utf8.count), 0, 0, 0, 0] + Array(text.utf8)
    }

    @Test("an upgrade gets the 101 with RFC 6455's accept key and the open packet; frames sent with it are read")
    func upgradeWithFrames() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(Array(Self.upgrade().utf8) + Self.frame("4hello"))
        #expect(await connection.waitFor("4hello"))
        let text = connection.text
        #expect(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(text.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(text.contains(#"0{"sid":""#))
    }

    @Test("an upgrade sent a byte at a time still upgrades")
    func byteByByte() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        for byte in Self.upgrade().utf8 { try await connection.send([byte]) }
        #expect(await connection.waitFor(#""upgrades":[]"#))
        #expect(connection.text.hasPrefix("HTTP/1.1 101 "))
    }

    @Test("what is not a plain upgrade is answered by the HTTP path, at once", arguments: [
        ("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK"),
        (upgrade("EIO=3&transport=websocket"), #"{"code":5,"message":"Unsupported protocol version"}"#),
        (upgrade("EIO=4&transport=websocket&sid=nope"), #"{"code":1,"message":"Session ID unknown"}"#),
        (upgrade().replacingOccurrences(of: "Version: 13", with: "Version: 12"), #"{"code":3,"message":"Bad request"}"#),
        (upgrade().replacingOccurrences(of: "\r\n", with: "\n"), "HTTP/1.1 400 Bad Request"),
        ("BREW /engine.io/ HTTP/1.1\r\n", "HTTP/1.1 400 Bad Request"),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}", "HTTP/1.1 400 Bad Request"),
        (upgrade(extra: "X: a\u{01}b\r\n"), "HTTP/1.1 400 Bad Request"),
    ])
    func handedOver(request: String, answer: String) async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(request)
        // Well inside the 10 s header timeout: nothing waits for more bytes.
        #expect(await connection.waitFor(answer, within: 3), "\(connection.text)")
        #expect(!connection.text.contains("101 Switching"))
    }

    @Test("an upgrade in HTTP/1.0 is left to NIO's upgrade handler, which accepts it as before")
    func http10() async throws {
        let harness = try await EchoHarness.start()
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(Self.upgrade().replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0"))
        #expect(await connection.waitFor(#""upgrades":[]"#), "\(connection.text)")
        #expect(connection.text.hasPrefix("HTTP/1.1 101 "))
    }

    @Test("a refused upgrade asks allowRequest once and answers 403")
    func refusedOnce() async throws {
        let asked = NIOLockedValueBox(0)
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", allowRequest: { _ in
            asked.withLockedValue { $0 += 1 }
            return false
        }))
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(Self.upgrade())
        #expect(await connection.waitFor(#"{"code":4,"message":"Forbidden"}"#), "\(connection.text)")
        #expect(connection.text.hasPrefix("HTTP/1.1 403 "))
        #expect(asked.withLockedValue { $0 } == 1)
    }

    @Test("allowRequest sees the upgrade request: its headers, query and address")
    func allowRequestSeesTheRequest() async throws {
        let seen = NIOLockedValueBox<EngineRequest?>(nil)
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", allowRequest: { request in
            seen.withLockedValue { $0 = request }
            return true
        }))
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(Self.upgrade("EIO=4&transport=websocket&token=abc", extra: "X-Trace:  two words \r\n"))
        #expect(await connection.waitFor(#""upgrades":[]"#))
        let request = try #require(seen.withLockedValue { $0 })
        #expect(request.method == "GET" && request.path == "/engine.io/" && request.query["token"] == "abc")
        #expect(request.headers["x-trace"] == "two words" && request.headers["sec-websocket-version"] == "13")
        #expect(request.remoteAddress?.hasPrefix("127.0.0.1") == true && !request.secure)
    }

    @Test("a peer that floods while its upgrade is decided is cut off")
    func floodWhileDeciding() async throws {
        let harness = try await EchoHarness.start(EngineServerConfiguration(path: "/engine.io/", allowRequest: { _ in
            try? await Task.sleep(for: .seconds(5))
            return true
        }))
        defer { Task { await harness.stop() } }
        let connection = try await RawConnection(port: harness.http.port!)
        defer { connection.close() }
        try await connection.send(Array(Self.upgrade().utf8) + [UInt8](repeating: 0x81, count: 80_000))
        #expect(await eventually(within: 3) { connection.closed })  // well before the 5 s decision
        #expect(!connection.text.contains("101"))
    }

    @Test("the strict reader takes a plain upgrade and leaves everything else to NIO", arguments: [
        ("", true),
        ("X-Empty:\r\n", true),
        ("Connection: keep-alive\r\n", true),
        ("Content-Length: 0\r\n", true),
        ("Content-Length: 3\r\n", false),
        ("Transfer-Encoding: chunked\r\n", false),
        ("Sec-WebSocket-Key: \(key)\r\n", false),
        ("Sec-WebSocket-Version: 13\r\n", false),
        (" folded\r\n", false),
        ("Bad Name: v\r\n", false),
        (": no name\r\n", false),
        ("X-Utf8: caf\u{E9}\r\n", true),
        ("X-Null: a\u{0}b\r\n", false),
    ])
    func strictReader(extra: String, accepted: Bool) {
        let head = Array(Self.upgrade(extra: extra).utf8)
        let request = head.withUnsafeBytes { UpgradeRequest(strictHead: $0, maxFields: 256) }
        #expect((request != nil) == accepted)
        if accepted {
            #expect(request?.uri == "/engine.io/?EIO=4&transport=websocket")
            #expect(request?.first("sec-websocket-key") == Self.key && request?.first("host") == "127.0.0.1")
        }
    }

    @Test("the strict reader refuses odd request lines and too many fields")
    func strictRequestLine() {
        func read(_ text: String, maxFields: Int = 256) -> UpgradeRequest? {
            Array(text.utf8).withUnsafeBytes { UpgradeRequest(strictHead: $0, maxFields: maxFields) }
        }
        #expect(read(Self.upgrade()) != nil)
        #expect(read(Self.upgrade(), maxFields: 5) != nil)
        #expect(read(Self.upgrade(), maxFields: 4) == nil)
        for (from, to) in [("GET /", "GET  /"), ("GET /", "POST /"), ("GET /", "GET http://x/"), ("HTTP/1.1\r\nHost", "HTTP/1.1 \r\nHost"),
                           ("?EIO=4", "?E IO=4"), ("Upgrade: websocket", "Upgrade: h2c"), ("Connection: Upgrade", "Connection: close")] {
            #expect(read(Self.upgrade().replacingOccurrences(of: from, with: to)) == nil, "\(to)")
        }
        #expect(read(String(Self.upgrade().dropLast(2))) == nil)
    }
}
