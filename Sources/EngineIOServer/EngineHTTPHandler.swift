import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOHTTP1

/// Serves Engine.IO's HTTP side on one connection: handshakes, long-polls, POSTed packets, CORS
/// preflights and the JSON error answers. WebSocket requests reach it only when the upgrade was
/// refused, to be answered with the right error.
final class EngineHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let mounts: EngineMounts

    private struct Request {
        var head: HTTPRequestHead
        var server: EngineServer?
        var body: [UInt8] = []
        var tooLarge = false
        /// For a POST to a session: whether it got the session's single POST slot.
        var postSlot: (session: EngineSession, granted: EventLoopFuture<Bool>)?
    }
    private var request: Request?
    /// The long-poll this connection holds, so its loss can be reported to the session.
    private var heldPoll: (session: EngineSession, responder: PollResponder)?

    /// allowRequest already refused this connection's first request (a WebSocket handshake
    /// `FirstRequestHandler` asked it about), so it is not asked twice.
    private var firstRequestDenied: Bool

    /// Requests begun on this connection. The first one's upgrade was decided before this handler
    /// (by `FirstRequestHandler` or NIO's upgrade handler); a later one's is decided here.
    private var requestsBegun = 0

    init(mounts: EngineMounts, firstRequestDenied: Bool = false) {
        self.mounts = mounts
        self.firstRequestDenied = firstRequestDenied
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestsBegun += 1
            request = Request(head: head, server: mounts.server(forURI: head.uri))
            beginPostIfAny(context: context)
        case .body(var buffer):
            guard var current = request, !current.tooLarge else { return }
            let limit = current.server?.configuration.maxHttpBufferSize ?? mounts.routes?.maxBodyBytes ?? 0
            if current.body.count + buffer.readableBytes > limit {
                current.tooLarge = true
                current.body = []
            } else {
                current.body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            request = current
        case .end:
            guard let current = request else { return }
            request = nil
            if requestsBegun > 1, KeptAliveUpgrade.isWebSocketUpgrade(current.head) {
                upgradeKeptAlive(current, context: context)
            } else {
                handle(current, context: context)
            }
        }
    }

    /// A WebSocket upgrade after other requests on this connection (aiohttp polls, then upgrades on
    /// the same kept-alive connection): decided as a first request's would be; accepted, the
    /// connection leaves HTTP for the WebSocket handler, refused, it is answered as usual.
    private func upgradeKeptAlive(_ current: Request, context: ChannelHandlerContext) {
        let upgrade = UpgradeRequest(current.head)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        EngineHTTPServer.shouldUpgrade(channel: context.channel, request: upgrade, mounts: mounts).whenComplete { result in
            let (handler, context) = loopBound.value
            switch result {
            case .success(.accepted):
                do {
                    try KeptAliveUpgrade.perform(context: context, head: current.head, request: upgrade, mounts: handler.mounts)
                } catch {
                    context.close(promise: nil)
                }
            case .success(.deniedByAllowRequest):
                handler.firstRequestDenied = true
                handler.handle(current, context: context)
            case .success(.refused), .failure:
                handler.handle(current, context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let (session, responder) = heldPoll {
            heldPoll = nil
            session.eventLoop.execute { session.pollConnectionClosed(responder) }
        }
        if let (session, granted) = request?.postSlot {
            // The connection died mid-body: give the slot back.
            granted.whenSuccess { got in if got { session.eventLoop.execute { session.endPost() } } }
        }
        context.fireChannelInactive()
    }

    /// A POST for a session takes its single POST slot as soon as its head arrives, so a second
    /// POST while the first is still sending is caught (400, and the session closes).
    private func beginPostIfAny(context: ChannelHandlerContext) {
        guard let current = request, current.head.method == .POST, let server = current.server else { return }
        let query = QueryString.split(current.head.uri).1
        guard case .post(let session) = server.route(method: "POST", uri: current.head.uri, query: query, isWebSocket: false) else { return }
        let granted = session.eventLoop.submit { () -> Bool in
            do { try session.beginPost(); return true } catch { return false }
        }
        request?.postSlot = (session, granted)
    }

    private func handle(_ current: Request, context: ChannelHandlerContext) {
        let head = current.head
        if head.uri.utf8.count > mounts.maxURLBytes {
            let message = "URI Too Long (\(head.uri.utf8.count) bytes, limit \(mounts.maxURLBytes))"
            mounts.servers.first?.refused(status: 414, code: nil, message: message, remoteAddress: addressText(context.channel.remoteAddress))
            respond(context: context, head: head, status: .uriTooLong, headers: [], body: Array("URI Too Long".utf8), close: true)
            return
        }
        let origin = head.headers.first(name: "origin")
        guard let server = current.server else {
            if let routes = mounts.routes { return route(current, to: routes, context: context) }
            respond(context: context, head: head, status: .notFound, headers: [], body: Array("Not Found".utf8))
            return
        }
        let cors = server.configuration.cors?.responseHeaders(origin: origin) ?? []
        if head.method == .OPTIONS {
            guard let config = server.configuration.cors, config.allows(origin: origin) else {
                refuse(.badHandshakeMethod, server: server, context: context, head: head, cors: cors)
                return
            }
            var headers = cors + [("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE")]
            let requested = head.headers.first(name: "access-control-request-headers")
            let allowed = config.allowedHeaders.isEmpty ? requested : config.allowedHeaders.joined(separator: ",")
            if let allowed, !allowed.isEmpty { headers.append(("Access-Control-Allow-Headers", allowed)) }
            if let maxAge = config.maxAge { headers.append(("Access-Control-Max-Age", String(maxAge))) }
            respond(context: context, head: head, status: .noContent, headers: headers, body: [])
            return
        }
        guard server.configuration.acceptsOrigin(origin, host: head.headers.first(name: "host")) else {
            refuse(.forbidden, why: "origin \(origin ?? "") not allowed (cors)", server: server, context: context, head: head, cors: [])
            return
        }
        let query = QueryString.split(head.uri).1
        if query["transport"] != "websocket", head.headers["upgrade"].contains(where: { $0.lowercased() == "websocket" }) {
            // A WebSocket upgrade that names another transport is refused, not served as a poll
            // (engine.io's CVE-2023-31125 came from this request).
            refuse(.badRequest, server: server, context: context, head: head, cors: cors)
            return
        }
        let method = head.method == .GET ? "GET" : head.method == .POST ? "POST" : head.method.rawValue
        switch server.route(method: method, uri: head.uri, query: query, isWebSocket: false) {
        case .refuse(let code):
            let deniedAlready = firstRequestDenied
            firstRequestDenied = false
            if code == .badRequest, query["transport"] == "websocket" {
                // A WebSocket handshake refused by allowRequest arrives here: answer 403 as a polling one would get.
                if deniedAlready { return refuse(.forbidden, server: server, context: context, head: head, cors: cors) }
                if let allow = server.configuration.allowRequest {
                    let request = EngineRequest(head: head, channel: context.channel)
                    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                    context.eventLoop.makeFutureWithTask { await allow(request) }.whenSuccess { allowed in
                        let (handler, context) = loopBound.value
                        handler.refuse(allowed ? .badRequest : .forbidden, server: server, context: context, head: head, cors: cors)
                    }
                    return
                }
            }
            refuse(code, server: server, context: context, head: head, cors: cors)
        case .handshake:
            handshake(server: server, context: context, head: head, cors: cors)
        case .poll(let session):
            poll(session, server: server, context: context, head: head, cors: cors)
        case .post(let session):
            post(session, body: current, server: server, context: context, head: head, cors: cors)
        case .upgrade:
            refuse(.badRequest, server: server, context: context, head: head, cors: cors)
        case .unavailable:
            server.refused(status: 503, code: nil, message: "server shutting down", remoteAddress: addressText(context.channel.remoteAddress))
            respond(context: context, head: head, status: .serviceUnavailable, headers: cors, body: Array("server shutting down".utf8), close: true)
        }
    }

    /// A request for a path that is not Engine.IO's, given to the application's routes.
    private func route(_ current: Request, to routes: HTTPRoutes, context: ChannelHandlerContext) {
        let head = current.head
        guard !current.tooLarge else {
            let message = "Payload Too Large (limit \(routes.maxBodyBytes) bytes)"
            return respond(context: context, head: head, status: .payloadTooLarge, headers: [], body: Array(message.utf8), close: true)
        }
        let request = EngineRequest(head: head, channel: context.channel)
        let body = current.body
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await routes.handler(request, body) }.whenSuccess { answer in
            let (handler, context) = loopBound.value
            guard let answer else {
                return handler.respond(context: context, head: head, status: .notFound, headers: [], body: Array("Not Found".utf8))
            }
            handler.respond(context: context, head: head, status: HTTPResponseStatus(statusCode: answer.status),
                            headers: answer.headers.map { ($0.name, $0.value) }, body: head.method == .HEAD ? [] : answer.body)
        }
    }

    private func handshake(server: EngineServer, context: ChannelHandlerContext, head: HTTPRequestHead, cors: [(String, String)]) {
        let request = EngineRequest(head: head, channel: context.channel)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let decided: EventLoopFuture<Bool> = server.configuration.allowRequest.map { allow in
            context.eventLoop.makeFutureWithTask { await allow(request) }
        } ?? context.eventLoop.makeSucceededFuture(true)
        decided.whenSuccess { allowed in
            let (handler, context) = loopBound.value
            guard allowed else {
                handler.refuse(.forbidden, server: server, context: context, head: head, cors: cors)
                return
            }
            let session = server.openSession(request: request, eventLoop: context.eventLoop)
            let open = EnginePacket.open(session.handshake)
            server.trace?.record(.enginePacket(side: .server, sid: session.id, direction: .outbound, transport: .polling, packet: open))
            handler.respond(context: context, head: head, status: .ok, headers: cors, body: PollingPayload.encode([open]))
            session.start()
            server.onConnection(session)
        }
    }

    private func poll(_ session: EngineSession, server: EngineServer, context: ChannelHandlerContext,
                      head: HTTPRequestHead, cors: [(String, String)]) {
        let channel = context.channel
        let keepAlive = head.isKeepAlive
        let version = head.version
        let responder = PollResponder { body in
            Self.write(channel: channel, version: version, status: .ok, headers: cors, body: body, keepAlive: keepAlive)
        }
        heldPoll = (session, responder)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        session.eventLoop.submit { () -> Bool in
            do { try session.attachPoll(responder); return true } catch { return false }
        }.hop(to: context.eventLoop).whenSuccess { attached in
            let (handler, context) = loopBound.value
            if !attached {
                if handler.heldPoll?.responder === responder { handler.heldPoll = nil }
                handler.refuse(.badRequest, server: server, context: context, head: head, cors: cors)
            }
        }
    }

    private func post(_ session: EngineSession, body current: Request, server: EngineServer, context: ChannelHandlerContext,
                      head: HTTPRequestHead, cors: [(String, String)]) {
        guard let (slotSession, granted) = current.postSlot, slotSession === session else {
            refuse(.badRequest, server: server, context: context, head: head, cors: cors)
            return
        }
        let body = current.body
        let tooLarge = current.tooLarge
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        granted.flatMap { got -> EventLoopFuture<PostOutcome> in
            guard got else { return session.eventLoop.makeSucceededFuture(.overlap) }
            return session.eventLoop.submit {
                defer { session.endPost() }
                if tooLarge {
                    session.closeOnLoop(.transportError, sendClosePacket: false)
                    return .tooLarge
                }
                return session.receivePollingBody(body) ? .accepted : .parseError
            }
        }.hop(to: context.eventLoop).whenSuccess { outcome in
            let (handler, context) = loopBound.value
            switch outcome {
            case .accepted:
                handler.respond(context: context, head: head, status: .ok, headers: cors + [("Content-Type", "text/html")],
                                body: Array("ok".utf8))
            case .tooLarge:
                server.refused(status: 413, code: nil, message: "Payload Too Large",
                               remoteAddress: addressText(context.channel.remoteAddress))
                handler.respond(context: context, head: head, status: .payloadTooLarge, headers: cors,
                                body: Array("Payload Too Large".utf8), close: true)
            case .overlap, .parseError:
                handler.refuse(.badRequest, server: server, context: context, head: head, cors: cors)
            }
        }
    }

    private enum PostOutcome {
        case accepted, tooLarge, overlap, parseError
    }

    // MARK: Responses

    /// Answers with `code`'s JSON error; the trace says `why` when there is more to say than the code's message.
    private func refuse(_ code: EngineErrorCode, why: String? = nil, server: EngineServer, context: ChannelHandlerContext,
                        head: HTTPRequestHead, cors: [(String, String)]) {
        server.refused(status: code.httpStatus, code: code, message: why ?? code.message,
                       remoteAddress: addressText(context.channel.remoteAddress))
        respond(context: context, head: head, status: HTTPResponseStatus(statusCode: code.httpStatus),
                headers: cors + [("Content-Type", "application/json")], body: Array(code.jsonBody.utf8))
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, status: HTTPResponseStatus,
                         headers: [(String, String)], body: [UInt8], close: Bool = false) {
        Self.write(channel: context.channel, version: head.version, status: status, headers: headers, body: body,
                   keepAlive: head.isKeepAlive && !close)
    }

    /// Writes a whole response through the channel (safe from any thread).
    static func write(channel: any Channel, version: HTTPVersion, status: HTTPResponseStatus, headers: [(String, String)],
                      body: [UInt8], keepAlive: Bool) {
        var responseHeaders = HTTPHeaders(headers)
        if !responseHeaders.contains(name: "content-type") {
            responseHeaders.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        }
        responseHeaders.add(name: "Content-Length", value: String(body.count))
        if !keepAlive { responseHeaders.add(name: "Connection", value: "close") }
        var buffer = channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        let response = HTTPResponseHead(version: version, status: status, headers: responseHeaders)
        channel.write(HTTPServerResponsePart.head(response), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
        let done = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    }
}

/// The Engine.IO servers on one port, by path.
struct EngineMounts: Sendable {
    let servers: [EngineServer]
    /// Longest request target answered; longer ones get 414.
    var maxURLBytes = ListenerLimits().maxURLBytes
    /// What answers the paths that are not Engine.IO's (nil: 404).
    var routes: HTTPRoutes?
    /// The listener's request-head deadlines, one set per event loop.
    let timers = LoopTimersTable()

    func server(forURI uri: String) -> EngineServer? {
        let path = normalizedEnginePath(String(QueryString.path(of: uri)))
        return servers.first { $0.configuration.path == path }
    }
}

func wallClockSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
