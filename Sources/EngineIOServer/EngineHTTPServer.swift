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
    let connections: ConnectionCounter
    /// Nil when the caller owns the group.
    let ownedGroup: MultiThreadedEventLoopGroup?

    /// The address actually bound (port 0 picks a free port).
    public var localAddress: SocketAddress? { channel.localAddress }
    public var port: Int? { channel.localAddress?.port }
    /// TCP connections open now (HTTP, long-polls and WebSockets alike).
    public var connectionCount: Int { connections.count }

    /// Binds and starts serving. With no `group`, one thread per core is started and owned.
    public static func start(host: String = "127.0.0.1", port: Int = 0, servers: [EngineServer],
                             group: (any EventLoopGroup)? = nil, tls: ServerTLS? = nil,
                             limits: ListenerLimits = .init(), routes: HTTPRoutes? = nil) async throws -> EngineHTTPServer {
        try await start(servers: servers, group: group, tls: tls, limits: limits, routes: routes) {
            try await $0.bind(host: host, port: port).get()
        }
    }

    /// Serves on a Unix domain socket instead of TCP (behind a local proxy, or to feed the whole
    /// pipeline arbitrary byte streams without using up ports, as the pipeline fuzzer does).
    public static func start(unixDomainSocketPath path: String, servers: [EngineServer], group: (any EventLoopGroup)? = nil,
                             limits: ListenerLimits = .init(), routes: HTTPRoutes? = nil) async throws -> EngineHTTPServer {
        try await start(servers: servers, group: group, tls: nil, limits: limits, routes: routes) {
            try await $0.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        }
    }

    private static func start(servers: [EngineServer], group: (any EventLoopGroup)?, tls: ServerTLS?, limits: ListenerLimits,
                              routes: HTTPRoutes?, bind: (ServerBootstrap) async throws -> any Channel) async throws -> EngineHTTPServer {
        let sslContext = try tls.map { try $0.makeContext() }
        let owned = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: NIOSingletons.groupLoopCountSuggestion) : nil
        let loops: any EventLoopGroup = group ?? owned!
        let mounts = EngineMounts(servers: servers, maxURLBytes: limits.maxURLBytes, routes: routes)
        let counter = ConnectionCounter(limit: min(limits.maxConnections, ConnectionCounter.openFileCeiling()))
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Out of file descriptors anyway (other listeners, the console's files), accept fails
            // with EMFILE while the connection waits in the backlog, so the socket stays readable:
            // without a pause between attempts the loop would spin.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler()) }
            }
            .childChannelInitializer { channel in
                guard counter.admit(channel) else { return refuse(channel, mounts: mounts, plainText: sslContext == nil) }
                return channel.eventLoop.makeCompletedFuture {
                    // TCP only: a Unix domain socket has no Nagle to turn off.
                    if channel.localAddress?.protocol != .unix {
                        try channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    }
                    if let sslContext { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try channel.pipeline.syncOperations.addHandler(FirstRequestHandler(
                        mounts: mounts, limits: limits, timers: mounts.timers.timers(for: channel.eventLoop),
                        report: refusalReport(mounts)))
                }
            }
        do {
            let channel = try await bind(bootstrap)
            return EngineHTTPServer(servers: servers, channel: channel, connections: counter, ownedGroup: owned)
        } catch {
            try? await owned?.shutdownGracefully()
            throw error
        }
    }

    private init(servers: [EngineServer], channel: any Channel, connections: ConnectionCounter, ownedGroup: MultiThreadedEventLoopGroup?) {
        self.servers = servers
        self.channel = channel
        self.connections = connections
        self.ownedGroup = ownedGroup
    }

    /// Refuses new sessions (503), lets clients fetch what is already queued for them (at most
    /// `gracePeriod`, and until `ready` agrees), closes every session ("server shutting down"),
    /// stops listening, and stops owned threads. Listening goes on while draining because a
    /// polling client may open a new connection to fetch what it is owed.
    public func shutdown(gracePeriod: Duration = .zero, until ready: @escaping @Sendable () -> Bool = { true }) async {
        for server in servers { await server.drainAndClose(within: gracePeriod, until: ready) }
        try? await channel.close()
        connections.closeAll()
        try? await ownedGroup?.shutdownGracefully()
    }

    static let httpHandlerName = "engine-http"

    /// A connection past `maxConnections`: told so (in plain HTTP; a TLS one is just closed) and closed.
    static func refuse(_ channel: any Channel, mounts: EngineMounts, plainText: Bool) -> EventLoopFuture<Void> {
        mounts.servers.first?.refused(status: 503, code: nil, message: "too many connections",
                                      remoteAddress: addressText(channel.remoteAddress))
        guard plainText else { return channel.close() }
        var buffer = channel.allocator.buffer(capacity: ConnectionCounter.refusal.count)
        buffer.writeBytes(ConnectionCounter.refusal)
        channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
        return channel.eventLoop.makeSucceededVoidFuture()
    }

    static func refusalReport(_ mounts: EngineMounts) -> @Sendable (Int, String, String?) -> Void {
        { status, message, address in mounts.servers.first?.refused(status: status, code: nil, message: message, remoteAddress: address) }
    }

    /// NIO's HTTP pipeline, for a connection whose first request `FirstRequestHandler` does not
    /// serve itself: every request but a plain WebSocket upgrade. `upgrading` false after an upgrade
    /// was refused (the request then goes to the HTTP handler for its error answer);
    /// `deniedByAllowRequest` when allowRequest was asked and said no.
    static func configureHTTP(channel: any Channel, mounts: EngineMounts, limits: ListenerLimits, upgrading: Bool,
                              deniedByAllowRequest: Bool = false) throws {
        let upgrader = EngineWebSocketUpgrader(
            shouldUpgrade: { channel, head in
                shouldUpgrade(channel: channel, request: UpgradeRequest(head), mounts: mounts).map { accepted in
                    // The request guard leaves before NIO takes the HTTP decoder out: bytes that came
                    // with the upgrade request are handed on raw then, and the guard only reads HTTP.
                    guard accepted == .accepted else { return nil }
                    channel.pipeline.syncOperations.removeHandler(name: RequestGuard.name, promise: nil)
                    return HTTPHeaders()
                }
            },
            attach: { channel, head in
                channel.eventLoop.makeCompletedFuture { try attachWebSocket(channel: channel, request: UpgradeRequest(head), mounts: mounts) }
                    .flatMap { $0 }
            })
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldCount = limits.maxHeaderFields
        let sync = channel.pipeline.syncOperations
        try sync.configureHTTPServerPipeline(
            withServerUpgrade: upgrading ? (upgraders: [upgrader], completionHandler: { context in
                context.pipeline.removeHandler(name: httpHandlerName, promise: nil)
            }) : nil,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
        let report = refusalReport(mounts)
        let decoder = try sync.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        try sync.addHandler(RequestGuard(limits: limits, timers: mounts.timers.timers(for: channel.eventLoop), report: report), name: RequestGuard.name, position: .after(decoder))
        try sync.addHandler(EngineHTTPHandler(mounts: mounts, firstRequestDenied: deniedByAllowRequest), name: httpHandlerName)
    }

    /// Decides a WebSocket upgrade: the right path, protocol version and transport, an allowed
    /// origin, and for an upgrade a session that can take one. A refusal falls through to the HTTP
    /// handler, which answers with the matching error code.
    enum UpgradeDecision {
        case accepted
        case refused
        /// The handshake's allowRequest said no (answered 403, not 400).
        case deniedByAllowRequest
    }

    static func shouldUpgrade(channel: any Channel, request: UpgradeRequest, mounts: EngineMounts) -> EventLoopFuture<UpgradeDecision> {
        guard request.uri.utf8.count <= mounts.maxURLBytes, isValidWebSocketKey(request.first("sec-websocket-key")),
              let server = mounts.server(forURI: request.uri) else {
            return channel.eventLoop.makeSucceededFuture(.refused)
        }
        let config = server.configuration
        if !config.acceptsOrigin(request.first("origin"), host: request.first("host")) {
            return channel.eventLoop.makeSucceededFuture(.refused)
        }
        let query = QueryString.split(request.uri).1
        switch server.route(method: "GET", uri: request.uri, query: query, isWebSocket: true) {
        case .handshake(.websocket):
            guard let allow = config.allowRequest else { return channel.eventLoop.makeSucceededFuture(.accepted) }
            let engineRequest = EngineRequest(upgrade: request, channel: channel)
            return channel.eventLoop.makeFutureWithTask { await allow(engineRequest) ? .accepted : .deniedByAllowRequest }
        case .upgrade:
            // Accepted whatever the session is doing, as the reference server does: a WebSocket
            // for a session that is upgrading or upgraded already is closed as soon as it joins.
            return channel.eventLoop.makeSucceededFuture(.accepted)
        default:
            return channel.eventLoop.makeSucceededFuture(.refused)
        }
    }

    /// RFC 6455 4.2.1: the key is 16 random bytes in base64 (24 characters ending in "=="). NIO
    /// answers any key; an invalid one is refused here (400), as browsers never send one.
    static func isValidWebSocketKey(_ key: String?) -> Bool {
        guard let key, key.utf8.count == 24, key.hasSuffix("==") else { return false }
        return key.utf8.prefix(22).allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2F
        }
    }

    static func attachWebSocket(channel: any Channel, request upgrade: UpgradeRequest, mounts: EngineMounts) throws -> EventLoopFuture<Void> {
        guard let server = mounts.server(forURI: upgrade.uri) else { throw ChannelError.inputClosed }
        let split = QueryString.split(upgrade.uri)
        if let sid = split.1["sid"] {
            guard let session = server.session(id: sid) else { throw ChannelError.inputClosed }
            try channel.pipeline.syncOperations.addHandler(EngineWebSocketHandler(session: session))
            return session.eventLoop.submit { session.attachWebSocket(channel) }.hop(to: channel.eventLoop)
        }
        let request = EngineRequest(upgrade: upgrade, channel: channel, split: split)
        let session = server.openSession(request: request, eventLoop: channel.eventLoop, webSocket: channel)
        try channel.pipeline.syncOperations.addHandler(EngineWebSocketHandler(session: session))
        let open = EnginePacket.open(session.handshake)
        server.trace?.record(.enginePacket(side: .server, sid: session.id, direction: .outbound, transport: .websocket, packet: open))
        channel.writeAndFlush(WebSocketOutbound.packet(open), promise: nil)
        session.start()
        server.onConnection(session)
        return channel.eventLoop.makeSucceededVoidFuture()
    }
}
