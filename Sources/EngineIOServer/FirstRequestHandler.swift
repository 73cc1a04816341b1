import EngineIOWebSocket
import NIOCore

/// The first handler of every connection: reads the first request head itself and, when it is a
/// plain WebSocket upgrade the server accepts, answers the 101 and puts the WebSocket handler in
/// its place without NIO's HTTP handlers (a parser, an encoder, pipelining and upgrade handlers
/// added and taken out again, futures at each step: a third of the server's CPU per WebSocket
/// connection). Anything else, or an upgrade refused, is handed to the regular HTTP pipeline with
/// the bytes read so far: polling, errors and odd requests are served exactly as before.
/// Until the head is complete it keeps the header deadline.
final class FirstRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let mounts: EngineMounts
    let limits: ListenerLimits

    private enum Phase {
        /// Reading the head.
        case reading
        /// The upgrade is being decided or the session attached; bytes wait.
        case deciding
        case done
    }
    private var phase = Phase.reading
    private var received: ByteBuffer?
    /// How far the search for the head's end got.
    private var scanned = 0
    /// The header timeout, until the head is complete (a connection that never sends it is traced).
    private var deadline: HeadDeadline
    /// Whether a read is in progress (so its end will be passed on by NIO).
    private var reading = false

    init(mounts: EngineMounts, limits: ListenerLimits, timers: LoopTimers,
         report: @escaping @Sendable (Int, String, String?) -> Void) {
        self.mounts = mounts
        self.limits = limits
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
        phase = .done
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .done else { return }  // closing
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        if phase == .deciding {
            // A client must wait for the 101 before sending frames; a peer that floods instead is cut off.
            if received!.readableBytes > limits.maxHeaderBytes * 4 { context.close(promise: nil) }
            return
        }
        reading = true
        defer { reading = false }
        let end: Int
        switch scanHead() {
        case .incomplete?:
            if received!.readableBytes > limits.maxHeaderBytes { handOver(context: context, upgrading: true) }
            return
        case nil, .bareLineFeed?:
            // Not a GET, or a line ending without CR: NIO's parser answers it at once, as before.
            return handOver(context: context, upgrading: true)
        case .complete(let offset)?:
            end = offset
        }
        deadline.cancel()
        let request = received!.withUnsafeReadableBytes { bytes in
            UpgradeRequest(strictHead: UnsafeRawBufferPointer(rebasing: bytes[..<end]), maxFields: limits.maxHeaderFields)
        }
        guard end <= limits.maxHeaderBytes, let request, request.uri.utf8.count <= mounts.maxURLBytes else {
            return handOver(context: context, upgrading: true)
        }
        phase = .deciding
        let channel = context.channel
        // The decision completes on this connection's loop (it hops back when the session lives on another).
        EngineHTTPServer.shouldUpgrade(channel: channel, request: request, mounts: mounts).assumeIsolated().whenComplete { result in
            guard self.phase == .deciding else { return }
            switch result {
            case .success(.accepted):
                self.upgrade(context: context, request: request, headBytes: end)
            case .success(let refusal):
                // NIO's pipeline without its upgrade handler gives the request to the HTTP handler,
                // which answers with the error code (NIO's upgrade handler does the same after a
                // refusal), told what allowRequest said so it is not asked twice.
                self.handOver(context: context, upgrading: false, deniedByAllowRequest: refusal == .deniedByAllowRequest)
            case .failure:
                self.handOver(context: context, upgrading: false)
            }
        }
    }

    private static let get = Array("GET ".utf8)

    /// Where the head ends so far; nil when its first bytes are not "GET ".
    private func scanHead() -> HTTPHeadSyntax.HeadEnd? {
        guard let buffer = received else { return .incomplete }
        let result = buffer.withUnsafeReadableBytes { raw -> HTTPHeadSyntax.HeadEnd? in
            if scanned < Self.get.count, !raw.prefix(Self.get.count).elementsEqual(Self.get.prefix(min(raw.count, Self.get.count))) {
                return nil
            }
            return HTTPHeadSyntax.headEnd(in: raw, from: scanned)
        }
        scanned = max(scanned, buffer.readableBytes)
        return result
    }

    /// Answers 101, attaches the session (a new one, or the polling session upgrading), and passes
    /// on what came after the head once the WebSocket handler is in place.
    private func upgrade(context: ChannelHandlerContext, request: UpgradeRequest, headBytes: Int) {
        let accept = WebSocketHandshake.acceptValue(forKey: request.first("sec-websocket-key") ?? "")
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: response.utf8.count)
        buffer.writeString(response)
        context.write(wrapOutboundOut(buffer), promise: nil)  // one write with a new session's open packet
        received!.moveReaderIndex(forwardBy: headBytes)
        let attached: EventLoopFuture<Void>
        do {
            attached = try EngineHTTPServer.attachWebSocket(channel: context.channel, request: request, mounts: mounts)
        } catch {
            phase = .done
            return context.close(promise: nil)
        }
        context.flush()  // a new session's open packet flushed it already; an upgrade writes nothing yet
        attached.assumeIsolated().whenComplete { result in
            guard self.phase == .deciding else { return }
            self.phase = .done
            guard case .success = result else { return context.close(promise: nil) }
            self.passOnAndLeave(context: context)
        }
    }

    /// Not an upgrade this handler serves: NIO's HTTP pipeline takes the connection, from its first byte.
    private func handOver(context: ChannelHandlerContext, upgrading: Bool, deniedByAllowRequest: Bool = false) {
        phase = .done
        deadline.cancel()
        do {
            try EngineHTTPServer.configureHTTP(channel: context.channel, mounts: mounts, limits: limits, upgrading: upgrading,
                                               deniedByAllowRequest: deniedByAllowRequest)
        } catch {
            return context.close(promise: nil)
        }
        passOnAndLeave(context: context)
    }

    private func passOnAndLeave(context: ChannelHandlerContext) {
        if let bytes = received, bytes.readableBytes > 0 {
            received = nil
            context.fireChannelRead(wrapInboundOut(bytes))
            // Outside a read (the decision was asynchronous) the handlers after this one must be
            // told the read ended, as NIO would have.
            if !reading { context.fireChannelReadComplete() }
        }
        received = nil
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func armDeadline(context: ChannelHandlerContext) {
        guard !deadline.isArmed, phase == .reading else { return }
        deadline.arm(context: context, wait: limits.headerTimeout, firstRequest: true)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.fireErrorCaught(error)
    }
}
