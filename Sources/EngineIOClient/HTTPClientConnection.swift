import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOTLS
import NIOPosix

/// One keep-alive HTTP/1.1 connection that sends requests one after another and answers each
/// with its response. Polling uses two: one for long-polls, one for POSTs.
final class HTTPClientConnection: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    let channel: any Channel
    private let handler: NIOLoopBound<ResponseCollector>

    private init(channel: any Channel, handler: NIOLoopBound<ResponseCollector>) {
        self.channel = channel
        self.handler = handler
    }

    /// `onChannel` is told of the connection as soon as it exists, on its loop (before TLS and the
    /// first request), so a caller's deadline can close it.
    static func connect(host: String, port: Int, group: any EventLoopGroup, maxBody: Int, tls: ClientTLSContext?,
                        onChannel: @escaping @Sendable (any Channel) -> Void = { _ in }) async throws -> HTTPClientConnection {
        let collector = NIOLockedValueBox<NIOLoopBound<ResponseCollector>?>(nil)
        let handshake = NIOLockedValueBox<EventLoopFuture<Void>?>(nil)
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                onChannel(channel)
                return channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(try tls.handler())
                        let waiter = TLSHandshakeWaiter(promise: channel.eventLoop.makePromise())
                        handshake.withLockedValue { $0 = waiter.promise.futureResult }
                        try channel.pipeline.syncOperations.addHandler(waiter)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let responses = ResponseCollector(maxBody: maxBody)
                    try channel.pipeline.syncOperations.addHandler(responses)
                    collector.withLockedValue { $0 = NIOLoopBound(responses, eventLoop: channel.eventLoop) }
                }
            }
            .connect(hostOrAddress: host, port: port).get()
        // Over TLS, a refused certificate must be the error the caller sees, not a closed connection.
        try await handshake.withLockedValue { $0 }?.get()
        return HTTPClientConnection(channel: channel, handler: collector.withLockedValue { $0 }!)
    }

    /// Sends a request; the future completes with the whole response.
    func send(method: HTTPMethod, uri: String, host: String, headers: [(String, String)], body: [UInt8]?) -> EventLoopFuture<Response> {
        let promise = channel.eventLoop.makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body {
            head.headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        let handler = self.handler
        channel.eventLoop.execute { [channel, head] in
            handler.value.expect(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body {
                var buffer = channel.allocator.buffer(capacity: body.count)
                buffer.writeBytes(body)
                channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return promise.futureResult
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Matches responses to requests in order; fails what is outstanding when the connection ends.
final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    let maxBody: Int
    private var waiting: [EventLoopPromise<HTTPClientConnection.Response>] = []
    private var status = 0
    private var body: [UInt8] = []
    /// Why the connection failed (a TLS handshake error, say), for what is still waiting.
    private var failure: (any Error)?
    private var closed = false

    init(maxBody: Int) { self.maxBody = maxBody }

    /// A request on a connection that already closed fails at once: otherwise nobody would answer it.
    func expect(_ promise: EventLoopPromise<HTTPClientConnection.Response>) {
        guard !closed else { return promise.fail(failure ?? ChannelError.ioOnClosedChannel) }
        waiting.append(promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body = []
        case .body(var buffer):
            if body.count + buffer.readableBytes > maxBody {
                context.close(promise: nil)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard !waiting.isEmpty else { return }
            waiting.removeFirst().succeed(HTTPClientConnection.Response(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        let pending = waiting
        waiting = []
        for promise in pending { promise.fail(failure ?? ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = error }
        context.close(promise: nil)
    }
}

/// Completes when the TLS handshake is done, or fails with the reason it was not (a certificate
/// nobody vouches for, a closed connection).
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            promise.succeed()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)  // no effect once completed
    }
}
