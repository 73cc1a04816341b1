import EngineIOServer
import NIOConcurrencyHelpers
import NIOPosix
import ProtocolTestSupport
import SocketIOClient
import SocketIOServer
import Testing

/// once, off, onAnyOutgoing, volatile emits, auth providers, flush: socket.io-client's API in Swift.
@Suite("Socket.IO client listeners and emits")
struct ListenerTests {
    final class Seen: Sendable {
        let names = NIOLockedValueBox<[String]>([])
        func add(_ name: String) { names.withLockedValue { $0.append(name) } }
        var all: [String] { names.withLockedValue { $0 } }
    }

    static func manager(_ port: Int, _ mode: EngineClientConfiguration.Mode = .websocket,
                        reconnection: ReconnectionOptions = .init(enabled: false)) -> SocketManager {
        SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: port, mode: mode), reconnection: reconnection,
                      group: MultiThreadedEventLoopGroup.singleton)
    }

    @Test("once fires once; off by token, by event and offAny stop listeners; onAnyOutgoing sees every emit")
    func listeners() async throws {
        let (_, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let manager = Self.manager(http.port!)
        defer { manager.close() }
        let socket = manager.socket()
        let seen = Seen()
        socket.once("echo-back") { _ in seen.add("once") }
        let every = socket.on("echo-back") { _ in seen.add("on") }
        socket.onAny { e in seen.add("any:" + e.name) }
        socket.onAnyOutgoing { e in seen.add("out:" + e.name) }
        try await socket.connect()
        try socket.emit("echo", [1])
        #expect(await eventually { seen.all.filter { $0 == "on" }.count == 1 })
        try socket.emit("echo", [2])
        #expect(await eventually { seen.all.filter { $0 == "on" }.count == 2 })
        #expect(seen.all.filter { $0 == "once" }.count == 1)
        socket.off(every)
        socket.offAny()
        _ = try await socket.emitWithAck("ack-me", [3])   // a round trip: anything in flight has arrived
        try socket.emit("echo", [4])
        _ = try await socket.emitWithAck("ack-me", [5])
        let after = seen.all
        #expect(after.filter { $0 == "on" }.count == 2, "\(after)")
        #expect(after.filter { $0 == "any:echo-back" }.count == 2, "\(after)")
        #expect(after.filter { $0.hasPrefix("out:") } == ["out:echo", "out:echo", "out:ack-me", "out:echo", "out:ack-me"])
        socket.on("echo-back") { _ in seen.add("new") }
        socket.off("echo-back")
        try socket.emit("echo", [6])
        _ = try await socket.emitWithAck("ack-me", [7])
        #expect(!seen.all.contains("new"))
    }

    @Test("a broadcast reaches every transport the same; a binary one goes whole, even when volatile")
    func broadcasts() async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let modes: [EngineClientConfiguration.Mode] = [.websocket, .websocket, .websocket, .polling]
        let managers = modes.map { Self.manager(http.port!, $0) }
        defer { for manager in managers { manager.close() } }
        let received = NIOLockedValueBox<[Int: [[JSONValue]]]>([:])
        for (index, manager) in managers.enumerated() {
            let socket = manager.socket()
            socket.on("news") { event in received.withLockedValue { $0[index, default: []].append(event.arguments) } }
            try await socket.connect()
        }
        #expect(await eventually { io.of("/").socketCount == modes.count })
        let everyone = BroadcastOperator.everyone(in: io.of("/"))
        #expect(try everyone.emit("news", ["héllo", 1]) == modes.count)
        #expect(try everyone.volatile.emit("news", [.binary([1, 2, 3])]) == modes.count)
        #expect(await eventually { received.withLockedValue { $0.values.allSatisfy { $0.count == 2 } && $0.count == modes.count } })
        for (index, arguments) in received.withLockedValue({ $0 }) {
            #expect(arguments == [["héllo", 1], [.binary([1, 2, 3])]], "client \(index) (\(modes[index]))")
        }
    }

    @Test("a volatile emit is dropped while disconnected, sent when connected")
    func volatileEmits() async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let received = Seen()
        io.onConnection { socket in socket.on("v") { e in received.add(e.arguments.first?.jsonText ?? "") } }
        let manager = Self.manager(http.port!)
        defer { manager.close() }
        let socket = manager.socket()
        #expect(try socket.emitVolatile("v", ["early"]) == false)
        try await socket.connect()
        #expect(try socket.emitVolatile("v", ["late"]) == true)
        _ = try await socket.emitWithAck("ack-me", [])
        #expect(await eventually { received.all == ["\"late\""] })
    }

    @Test("a volatile emit is dropped while the connection cannot take it, and sent again once it can",
          arguments: [EngineClientConfiguration.Mode.websocket, .polling])
    func volatileWhileBusy(_ mode: EngineClientConfiguration.Mode) async throws {
        let io = SocketIOServer()
        let received = Seen()
        io.onConnection { socket in socket.on("v") { e in received.add(e.arguments.first?.jsonText ?? "") } }
        // The server on a loop of its own: stalling it stops its reads and its answers to POSTs.
        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let http = try await EngineHTTPServer.start(servers: [io.engine], group: serverGroup)
        let manager = Self.manager(http.port!, mode)
        let socket = manager.socket()
        try await socket.connect()
        // On polling the CONNECT's POST may still wait for its answer: until then volatile emits
        // are dropped, as socket.io-client's are. A dropped one is not sent: one "before" arrives.
        #expect(await eventually { (try? socket.emitVolatile("v", ["before"])) == true })
        #expect(await eventually { received.all == ["\"before\""] })
        serverGroup.next().execute { usleep(1_500_000) }
        // Regular emits pile up (a POST without answer, or full socket buffers and then NIO's)
        // until the connection reports it cannot take more; volatile ones are then dropped.
        let filler = JSONValue.string(String(repeating: "x", count: 16 << 10))
        var dropped = false
        for _ in 0..<2_000 where !dropped {
            try socket.emit("fill", [filler])
            dropped = try !socket.emitVolatile("v", ["during"])
            if !dropped { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(dropped)
        #expect(socket.connected)
        // Once the server reads again, the connection drains and volatile emits go out again.
        #expect(await eventually(within: 10) { (try? socket.emitVolatile("v", ["after"])) == true })
        #expect(await eventually(within: 10) { received.all.last == "\"after\"" })
        manager.close()
        await http.shutdown()
        try await serverGroup.shutdownGracefully()
    }

    @Test("an auth provider is asked at every attempt, reconnections included")
    func authProvider() async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let manager = Self.manager(http.port!, reconnection: ReconnectionOptions(delayMilliseconds: 50, maxDelayMilliseconds: 100))
        defer { manager.close() }
        let socket = manager.socket()
        let calls = NIOLockedValueBox(0)
        let first = try await socket.connect { () async -> JSONObject? in
            let n = calls.withLockedValue { $0 += 1; return $0 }
            return ["token": .string("t\(n)")]
        }
        #expect(io.of("/").socket(id: first)?.handshake.auth == ["token": "t1"])
        io.engine.closeAll(reason: .forcedClose)
        #expect(await eventually { socket.connected && socket.id != first })
        #expect(io.of("/").socket(id: socket.id!)?.handshake.auth == ["token": "t2"], "a fresh token for the new connection")
    }

    @Test("flush waits until polling's POST was answered, so nothing is lost on close", arguments: [EngineClientConfiguration.Mode.polling, .websocket])
    func flushBeforeClose(_ mode: EngineClientConfiguration.Mode) async throws {
        let (io, http) = try await ClientSocketTests.server()
        defer { Task { await http.shutdown() } }
        let received = Seen()
        io.onConnection { socket in socket.on("last") { e in received.add(e.arguments.first?.jsonText ?? "") } }
        let manager = Self.manager(http.port!, mode)
        let socket = manager.socket()
        try await socket.connect()
        for i in 0..<20 { try socket.emit("last", [.int(Int64(i))]) }
        await manager.flush()
        manager.close()
        #expect(await eventually { received.all.count == 20 })
        #expect(received.all == (0..<20).map { "\($0)" })
    }

    @Test("reconnects across a real server restart on the same port")
    func serverRestart() async throws {
        let (_, http) = try await ClientSocketTests.server()
        let port = http.port!
        let manager = Self.manager(port, .polling, reconnection: ReconnectionOptions(delayMilliseconds: 100, maxDelayMilliseconds: 300))
        defer { manager.close() }
        let socket = manager.socket()
        let firstID = try await socket.connect(auth: ["token": "same"])
        await http.shutdown()
        #expect(await eventually { !socket.connected })
        let (io2, http2) = try await ClientSocketTests.server(port: port)
        defer { Task { await http2.shutdown() } }
        #expect(await eventually(within: 10) { socket.connected })
        #expect(socket.id != firstID)
        #expect(io2.of("/").socket(id: socket.id!)?.handshake.auth == ["token": "same"])
        #expect(try await socket.emitWithAck("ack-me", ["after restart"]) == ["after restart"])
    }
}

/// Traffic both ways the whole time the transport is being upgraded: nothing lost, nothing reordered.
@Suite("Socket.IO client upgrade under load")
struct UpgradeUnderLoadTests {
    @Test("2,000 events each way across a polling-to-WebSocket upgrade arrive complete and in order")
    func upgradeUnderLoad() async throws {
        let io = SocketIOServer()
        let fromClient = NIOLockedValueBox<[Int64]>([])
        io.onConnection { socket in
            socket.on("n") { event in
                if case .int(let n)? = event.arguments.first { fromClient.withLockedValue { $0.append(n) } }
            }
            socket.on("start") { _ in
                Task {
                    for i in 0..<2_000 {
                        try? socket.emit("m", [.int(Int64(i))])
                        if i % 50 == 0 { await Task.yield() }
                    }
                }
            }
        }
        let http = try await io.start()
        defer { Task { await http.shutdown() } }
        // The load must start on polling. The probe races the CONNECT (a slow machine, a sanitizer,
        // can finish the upgrade first): take the first connection that is still on polling.
        var connected: (SocketManager, ClientSocket, ClientTraceTests.Recorder)?
        for _ in 0..<10 where connected == nil {
            let trace = ClientTraceTests.Recorder()
            let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .upgrade),
                                        group: MultiThreadedEventLoopGroup.singleton, trace: trace)
            let socket = manager.socket()
            try await socket.connect()
            if manager.transport == .polling { connected = (manager, socket, trace) } else { manager.close() }
        }
        let (manager, socket, trace) = try #require(connected, "ten connections upgraded before CONNECT was answered")
        defer { manager.close() }
        let fromServer = NIOLockedValueBox<[Int64]>([])
        socket.on("m") { event in
            if case .int(let n)? = event.arguments.first { fromServer.withLockedValue { $0.append(n) } }
        }
        try socket.emit("start")
        for i in 0..<2_000 {
            try socket.emit("n", [.int(Int64(i))])
            if i % 100 == 0 { try await Task.sleep(for: .milliseconds(5)) }   // spread over the upgrade's round trips
        }
        #expect(await eventually(within: 20) { fromClient.withLockedValue { $0.count } == 2_000 && fromServer.withLockedValue { $0.count } == 2_000 })
        #expect(fromClient.withLockedValue { $0 } == (0..<2_000).map { Int64($0) })
        #expect(fromServer.withLockedValue { $0 } == (0..<2_000).map { Int64($0) })
        let lines = trace.lines
        let upgraded = try #require(lines.firstIndex { $0.hasPrefix("client EIO upgraded") })
        let firstOut = try #require(lines.firstIndex { $0.hasPrefix(#"client SIO out / EVENT ["n",0]"#) })
        let lastOut = try #require(lines.firstIndex { $0.hasPrefix(#"client SIO out / EVENT ["n",1999]"#) })
        let lastIn = try #require(lines.firstIndex { $0.hasPrefix(#"client SIO in  / EVENT ["m",1999]"#) })
        #expect(firstOut < upgraded && upgraded < max(lastOut, lastIn), "the upgrade happened in the middle of the traffic")
    }
}
