import EngineIOWebSocket
import NIOCore
import NIOHTTP1

/// Sits right after the HTTP decoder and bounds the time a request head may take: a connection
/// that sends nothing, or sends its head a byte at a time, is closed. Oversized heads are refused by
/// NIO's decoder, configured with `ListenerLimits.maxHeaderBytes`; this handler traces them. (The
/// URL limit is checked by the handlers that answer, behind NIO's pipelining handler, which must
/// see every request it gets a response for.) Removed when a WebSocket upgrade completes.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "engine-request-guard"

    let limits: ListenerLimits
    /// Where refusals are traced.
    let report: @Sendable (_ status: Int, _ message: String, _ remoteAddress: String?) -> Void
    /// Requests whose head arrived and whose response has not been written yet.
    private var inFlight = 0
    private var servedOne = false
    /// Set and cancelled per request, on the connection's loop's timers.
    private var deadline: HeadDeadline

    init(limits: ListenerLimits, timers: LoopTimers, report: @escaping @Sendable (Int, String, String?) -> Void) {
        self.limits = limits
        self.report = report
        deadline = HeadDeadline(timers: timers, report: report)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armDeadline(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head = part {
            deadline.cancel()
            inFlight += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), inFlight > 0 {
            inFlight -= 1
            servedOne = true
            if inFlight == 0 { armDeadline(context: context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        // NIO reports both of a head's limits as one overflow.
        let message = parseError == .headerOverflow
            ? "request head over \(limits.maxHeaderBytes) bytes or \(limits.maxHeaderFields) header fields"
            : "malformed HTTP (\(parseError))"
        report(400, message, addressText(context.channel.remoteAddress))
        // NIO's protocol error handler, further on, answers 400; then the connection is done.
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    /// The next request head must arrive within the header timeout (first request) or the
    /// keep-alive timeout (later ones); otherwise the connection is closed.
    private func armDeadline(context: ChannelHandlerContext) {
        deadline.arm(context: context, wait: servedOne ? limits.keepAliveTimeout : limits.headerTimeout, firstRequest: !servedOne)
    }
}
