import EngineIOProtocol
@testable import EngineIOServer
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Shutting a listener down ends every connection it accepted, before any event loop it owns
/// stops: a request still in flight must not find its session's loop gone.
@Suite struct ShutdownTests {
    /// Idle and kept-alive connections on NIO's shared loops: nothing else would ever close them.
    @Test func shutdownClosesEveryConnectionEvenOnSharedLoops() async throws {
        let server = EngineServer(configuration: EngineServerConfiguration(path: "/engine.io/")) { _ in }
        let http = try await EngineHTTPServer.start(servers: [server], group: MultiThreadedEventLoopGroup.singleton)
        let port = try #require(http.port)
        var clients: [any Channel] = []
        for i in 0..<6 {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            if i.isMultiple(of: 2) {
                // A whole request on a kept-alive connection: answered, and the connection stays.
                var request = channel.allocator.buffer(capacity: 128)
                request.writeString("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
                try await channel.writeAndFlush(request).get()
            }
            clients.append(channel)
        }
        // The listener has accepted them all before it stops.
        let deadline = Date().addingTimeInterval(5)
        while http.connections.count < clients.count, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(http.connections.count == clients.count)
        await http.shutdown()
        for channel in clients {
            let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await channel.closeFuture.get(); return true }
                group.addTask { try await Task.sleep(for: .seconds(5)); return false }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            #expect(closed, "a connection the server accepted is still open after its shutdown")
            try? await channel.close()
        }
    }
}
