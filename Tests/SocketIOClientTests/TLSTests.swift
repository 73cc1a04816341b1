import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import SocketIOServer
import Testing

/// https and wss: the server with a certificate from a test CA, the client trusting that CA.
@Suite("TLS", .serialized)
struct TLSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls")
    static let serverTLS = ServerTLS(certificateChainFile: fixtures.appendingPathComponent("server.pem").path,
                                     privateKeyFile: fixtures.appendingPathComponent("server.key").path)
    static let caFile = fixtures.appendingPathComponent("ca.pem").path

    static func server() async throws -> (SocketIOServer, EngineHTTPServer) {
        let io = SocketIOServer()
        io.onConnection { socket in
            socket.on("ack-me") { event in event.ack?(event.arguments) }
            socket.on("secure?") { event in event.ack?([.bool(socket.handshake.secure)]) }
        }
        return (io, try await io.start(tls: serverTLS))
    }

    @Test("https and wss in every mode, by IP address and by host name",
          arguments: [("https://127.0.0.1", EngineClientConfiguration.Mode.polling), ("wss://127.0.0.1", .websocket),
                      ("https://localhost", .upgrade)])
    func secureConversation(base: String, mode: EngineClientConfiguration.Mode) async throws {
        let (_, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let configuration = try EngineClientConfiguration(url: "\(base):\(http.port!)", mode: mode, caFile: Self.caFile)
        let manager = SocketManager(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        try await socket.connect()
        #expect(try await socket.emitWithAck("ack-me", ["over TLS", .binary([1, 2, 3])]) == ["over TLS", .binary([1, 2, 3])])
        #expect(try await socket.emitWithAck("secure?") == [true], "the server's handshake says secure")
        if mode == .upgrade { #expect(await eventually { manager.transport == .websocket }) }
    }

    @Test("python-socketio's server over https and wss", arguments: [EngineClientConfiguration.Mode.polling, .websocket, .upgrade])
    func pythonServerOverTLS(_ mode: EngineClientConfiguration.Mode) async throws {
        let server = try await PythonServer.start("socketio_server.py", arguments: ["--tls", Self.serverTLS.certificateChainFile,
                                                                                    Self.serverTLS.privateKeyFile])
        defer { server.stop() }
        let manager = SocketManager(configuration: try EngineClientConfiguration(url: "https://localhost:\(server.port)", mode: mode,
                                                                                 caFile: Self.caFile),
                                    group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        let socket = manager.socket()
        try await socket.connect()
        #expect(try await socket.emitWithAck("ack-me", ["secure", 1]) == ["secure", 1])
        try await manager.socket("/admin").connect(auth: ["token": "secret"])
        #expect(try await manager.socket("/admin").emitWithAck("delete user", [7]) == ["ok", 7])
    }

    @Test("a certificate from an unknown CA is refused, with the reason", arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func untrustedCertificate(_ mode: EngineClientConfiguration.Mode) async throws {
        let (_, http) = try await Self.server()
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(configuration: try EngineClientConfiguration(url: "https://127.0.0.1:\(http.port!)", mode: mode),
                                    reconnection: ReconnectionOptions(enabled: false), group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        do {
            try await manager.socket().connect(timeout: .seconds(5))
            Issue.record("connected to a server whose certificate nobody vouches for")
        } catch {
            guard case .connection(let why) = error else {
                Issue.record("expected a connection failure, got \(error)")
                return
            }
            #expect("\(why)".contains("certificate") || "\(why)".contains("CERTIFICATE"), "\(why)")
        }
    }

    @Test("a missing CA file is a clear error, not a crash")
    func missingCAFile() async throws {
        let manager = SocketManager(configuration: try EngineClientConfiguration(url: "https://127.0.0.1:1", caFile: "/nonexistent/ca.pem"),
                                    reconnection: ReconnectionOptions(enabled: false), group: MultiThreadedEventLoopGroup.singleton)
        defer { manager.close() }
        await #expect(performing: { try await manager.socket().connect(timeout: .seconds(5)) },
                      throws: { "\($0)".contains("/nonexistent/ca.pem") })
    }

    @Test("URLs: https and wss default to port 443; other schemes are refused")
    func urls() throws {
        let secure = try EngineClientConfiguration(url: "wss://example.com/custom/")
        #expect(secure.port == 443 && secure.tls != nil && secure.path == "/custom/")
        #expect(try EngineClientConfiguration(url: "http://example.com").tls == nil)
        #expect(throws: EngineClientError.invalidURL("ftp://x", "the scheme must be http, https, ws or wss")) {
            try EngineClientConfiguration(url: "ftp://x")
        }
    }
}

/// A request on a connection the server already closed must fail, not wait forever.
@Suite("HTTP client connection")
struct HTTPClientConnectionTests {
    @Test("a request after the server closed the connection fails at once", arguments: [false, true])
    func requestAfterClose(tls: Bool) async throws {
        let (_, http) = tls ? try await TLSTests.server() : try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let scheme = tls ? "https" : "http"
        for _ in 0..<20 {
            // Without the CA, the TLS handshake fails as soon as the certificate arrives: often before
            // the first request is even handed to the connection.
            let manager = SocketManager(configuration: try EngineClientConfiguration(url: "\(scheme)://127.0.0.1:\(http.port!)", mode: .polling),
                                        reconnection: ReconnectionOptions(enabled: false), group: MultiThreadedEventLoopGroup.singleton)
            let outcome = NIOLockedValueBox<String?>(nil)
            Task {
                do {
                    try await manager.socket().connect(timeout: .seconds(30))
                    outcome.withLockedValue { $0 = "connected" }
                } catch {
                    outcome.withLockedValue { $0 = "failed" }
                }
            }
            // A hang shows as a failed expectation, not as a test that never ends.
            #expect(await eventually(within: 10) { outcome.withLockedValue { $0 } != nil }, "connect() hung")
            manager.close()
            #expect(outcome.withLockedValue { $0 } == (tls ? "failed" : "connected"))
        }
    }
}
