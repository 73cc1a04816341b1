import EngineIOProtocol
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Listens on one port and serves one or more Engine.IO servers, each on its own path, over HTTP
/// long-polling and WebSocket.
public final class EngineHTTPServer: Sendable {
    public let servers: [EngineServer]
    let channel: any Channel
    /// Nil when the caller owns the group.
    let ownedGroup: MultiThreadedEventLoopGroup?

    /// The address actually bound (port 0 picks a free port).
    public var localAddress: SocketAddress? { channel.localAddress }
    public var port: Int? { channel.localAddress?.port }

    /// Binds and starts serving. With no `group`, one thread per core is started and owned.
    public static func start(host: String = "127.0.0.1", port: Int = 0, servers: [EngineServer],
                             group: (any EventLoopGroup)? = nil, tls: ServerTLS? = nil) async throws -> EngineHTTPServer {
        let sslContext = try tls.map { try $0.makeContext() }
        let owned = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount) : nil
        let loops: any EventLoopGroup = group ?? owned!
        let mounts = EngineMounts(servers: servers)
        let maxFrame = servers.map(\.configuration.maxHttpBufferSize).max() ?? 1_000_000
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try configure(channel: channel, mounts: mounts, maxFrame: maxFrame)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return EngineHTTPServer(servers: servers, channel: channel, ownedGroup: owned)
        } catch {
            try? await owned?.shutdownGracefully()
            throw error
        }
    }

    private init(servers: [EngineServer], channel: any Channel, ownedGroup: MultiThreadedEventLoopGroup?) {
        self.servers = servers
        self.channel = channel
        self.ownedGroup = ownedGroup
    }

    /// Refuses new sessions (503), lets clients fetch what is already queued for them (at most
    /// `gracePeriod`, and until `ready` agrees), closes every session ("server shutting down"),
    /// stops listening, and stops owned threads. Listening goes on while draining because a
    /// polling client may open a new connection to fetch what it is owed.
    public func shutdown(gracePeriod: Duration = .zero, until ready: @escaping @Sendable () -> Bool = { true }) async {
        for server in servers { await server.drainAndClose(within: gracePeriod, until: ready) }
        try? await channel.close()
        try? await ownedGroup?.shutdownGracefully()
    }

    static let httpHandlerName = "engine-http"

    static func configure(channel: any Channel, mounts: EngineMounts, maxFrame: Int) throws {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxFrame,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in shouldUpgrade(channel: channel, head: head, mounts: mounts) },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture { try attachWebSocket(channel: channel, head: head, mounts: mounts) }
                    .flatMap { $0 }
            })
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                context.pipeline.removeHandler(name: httpHandlerName, promise: nil)
            }))
        try channel.pipeline.syncOperations.addHandler(EngineHTTPHandler(mounts: mounts), name: httpHandlerName)
    }

    /// Decides a WebSocket upgrade: the right path, protocol version and transport, an allowed
    /// origin, and for an upgrade a session that can take one. A refusal falls through to the HTTP
    /// handler, which answers with the matching error code.
    static func shouldUpgrade(channel: any Channel, head: HTTPRequestHead, mounts: EngineMounts) -> EventLoopFuture<HTTPHeaders?> {
        guard let server = mounts.server(forURI: head.uri) else { return channel.eventLoop.makeSucceededFuture(nil) }
        let config = server.configuration
        if let cors = config.cors, !cors.allows(origin: head.headers.first(name: "origin")) {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let query = QueryString.split(head.uri).1
        switch server.route(method: "GET", query: query, isWebSocket: true) {
        case .handshake(.websocket):
            guard let allow = config.allowRequest else { return channel.eventLoop.makeSucceededFuture(HTTPHeaders()) }
            let request = EngineRequest(head: head, channel: channel)
            return channel.eventLoop.makeFutureWithTask { await allow(request) ? HTTPHeaders() : nil }
        case .upgrade(let session):
            return session.eventLoop.submit { session.acceptsUpgrade ? HTTPHeaders() : nil }.hop(to: channel.eventLoop)
        default:
            return channel.eventLoop.makeSucceededFuture(nil)
        }
    }

    static func attachWebSocket(channel: any Channel, head: HTTPRequestHead, mounts: EngineMounts) throws -> EventLoopFuture<Void> {
        guard let server = mounts.server(forURI: head.uri) else { throw ChannelError.inputClosed }
        let query = QueryString.split(head.uri).1
        let request = EngineRequest(head: head, channel: channel)
        try channel.pipeline.syncOperations.addHandler(
            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 10_000,
                                        maxAccumulatedFrameSize: server.configuration.maxHttpBufferSize))
        if let sid = query["sid"] {
            guard let session = server.session(id: sid) else { throw ChannelError.inputClosed }
            try channel.pipeline.syncOperations.addHandler(EngineWebSocketHandler(session: session))
            return session.eventLoop.submit { session.attachWebSocket(channel, isUpgrade: true) }.hop(to: channel.eventLoop)
        }
        let session = server.openSession(request: request, eventLoop: channel.eventLoop, transport: .websocket)
        try channel.pipeline.syncOperations.addHandler(EngineWebSocketHandler(session: session))
        session.attachWebSocket(channel, isUpgrade: false)
        let open = EnginePacket.open(session.handshake)
        server.trace?.record(.enginePacket(side: .server, sid: session.id, direction: .outbound, transport: .websocket, packet: open))
        channel.writeAndFlush(EngineSession.frame(for: open), promise: nil)
        session.start()
        server.onConnection(session)
        return channel.eventLoop.makeSucceededVoidFuture()
    }
}
