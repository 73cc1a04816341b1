import EngineIOClient
import EngineIOServer
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import Testing

/// The README's client example, against a Socket.IO server, so it cannot drift out of date.
@Test("the README's client example connects and talks Socket.IO by hand")
func readmeClientExample() async throws {
    final class Printer: EngineClientDelegate {
        let seen = NIOLockedValueBox<[EngineData]>([])
        func engineClient(_ client: EngineClient, didReceive data: EngineData) { seen.withLockedValue { $0.append(data) } }
        func engineClient(_ client: EngineClient, didCloseWith reason: EngineClientCloseReason) {}
    }
    let server = EngineServer(configuration: EngineServerConfiguration()) { session in
        session.delegate = ConnectReplier()
    }
    let http = try await EngineHTTPServer.start(servers: [server])
    defer { Task { await http.shutdown() } }

    let client = EngineClient(configuration: try EngineClientConfiguration(url: "http://127.0.0.1:\(http.port!)", mode: .upgrade),
                              group: MultiThreadedEventLoopGroup.singleton)
    let printer = Printer()                   // the delegate is held weakly
    await client.setDelegate(printer)
    let handshake = try await client.connect()
    client.send(text: "0")                    // a Socket.IO CONNECT to "/" (Engine.IO adds the 4)
    #expect(handshake.upgrades == ["websocket"])
    #expect(await eventually { printer.seen.withLockedValue { $0 } == [.text("0{\"sid\":\"demo\"}")] })
    client.close()
}

/// Answers a CONNECT the way a Socket.IO server would, without the Socket.IO layer.
final class ConnectReplier: EngineSessionDelegate {
    func engineSession(_ session: EngineSession, didReceive data: EngineData) {
        if data == .text("0") { session.send(text: "0{\"sid\":\"demo\"}") }
    }
    func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason) {}
}
