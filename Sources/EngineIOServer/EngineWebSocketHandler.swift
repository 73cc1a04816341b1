import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOWebSocket

/// One WebSocket connection of a session: frames in, Engine.IO packets to the session; packets
/// from the session out as frames. Control frames are answered here.
final class EngineWebSocketHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketOutbound
    typealias OutboundOut = WebSocketFrame

    let session: EngineSession
    private var closeSent = false
    private var frames = FrameWriter()

    init(session: EngineSession) {
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        frames.attach(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        frames.detach()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let channel = context.channel
        let session = self.session
        switch frame.opcode {
        case .text, .binary:
            // On the session's loop, the acks and echoes this read causes leave when it completes.
            session.flusher.readStarted()
            guard let packet = try? EngineFrames.packet(from: frame, limits: session.configuration.limits) else {
                // Not Engine.IO: this connection only is closed ("parse error"). The session hears
                // of it before the close, which may complete at once and report "transport close".
                if session.eventLoop.inEventLoop {
                    session.webSocketFailed(channel, reason: .parseError)
                } else {
                    session.eventLoop.execute { session.webSocketFailed(channel, reason: .parseError) }
                }
                sendClose(context: context, code: .protocolError)
                return
            }
            if session.eventLoop.inEventLoop {
                session.receiveFrame(packet, on: channel)
            } else {
                session.eventLoop.execute { session.receiveFrame(packet, on: channel) }
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            sendClose(context: context, code: .normalClosure)
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        session.flusher.readComplete()
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outbound = unwrapOutboundIn(data)
        if case .closeConnection = outbound {} else if !context.channel.isWritable, outboundBufferFull(context: context) {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch outbound {
        case .framed(let packet, let bytes):
            frames.write(packet, wireFrame: bytes, context: context, promise: promise)
        case .packet(let packet):
            frames.write(packet, context: context, promise: promise)
        case .closeConnection:
            sendClose(context: context, code: .normalClosure)
            promise?.succeed()
        }
    }

    /// The peer reads too slowly: past the session's bound the frame is refused, the session is
    /// told ("outbound buffer full") and the connection closed, which drops what waits unsent.
    private func outboundBufferFull(context: ChannelHandlerContext) -> Bool {
        guard !closeSent else { return true }
        let waiting = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        guard waiting > session.configuration.maxOutboundBufferBytes else { return false }
        closeSent = true
        let channel = context.channel
        let session = self.session
        if session.eventLoop.inEventLoop {
            session.webSocketFailed(channel, reason: .outboundBufferFull)
        } else {
            session.eventLoop.execute { session.webSocketFailed(channel, reason: .outboundBufferFull) }
        }
        context.close(promise: nil)
        return true
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        let session = self.session
        // A read cut short by the close still ends: later writes must not wait for it.
        session.flusher.readComplete()
        session.eventLoop.execute { session.webSocketClosed(channel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode) {
        guard !closeSent else { return }
        closeSent = true
        var buffer = context.channel.allocator.buffer(capacity: 2)
        buffer.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
