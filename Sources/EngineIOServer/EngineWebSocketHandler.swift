import EngineIOProtocol
import EngineIOWebSocket
import NIOCore
import NIOWebSocket

/// One WebSocket connection of a session: bytes in, read as frames (`WebSocketFrameReader`), their
/// Engine.IO packets to the session; packets from the session out as wire frames. Control frames
/// are answered here. The only handler of the connection after the upgrade.
final class EngineWebSocketHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = WebSocketOutbound
    typealias OutboundOut = ByteBuffer

    let session: EngineSession
    private var context: ChannelHandlerContext?
    private var closeSent = false
    private var reader: WebSocketFrameReader
    /// Frames since the last flush, written as one buffer when it comes.
    private var pending = PendingFrames()

    init(session: EngineSession) {
        self.session = session
        reader = WebSocketFrameReader(peer: .client, maxMessageBytes: session.configuration.maxHttpBufferSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reader.feed(unwrapInboundIn(data))
        do {
            while !closeSent, let frame = try reader.next() {
                receive(frame, context: context)
            }
        } catch {
            // Not WebSocket as RFC 6455 has it: this connection only is closed, with the reason's code.
            sendClose(context: context, code: error.closeCode)
        }
    }

    private func receive(_ frame: InboundFrame, context: ChannelHandlerContext) {
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
            // Pongs count against the outbound bound like any frame: a peer that pings and never
            // reads would otherwise have them buffered without end.
            if !channel.isWritable, outboundBufferFull(context: context) { return }
            let pong = EngineFrames.controlFrame(.pong, payload: frame.unmaskedPayload, allocator: channel.allocator)
            pending.write(from: context)
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
        write(unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// The session's way in on the connection's own loop: the frame starts from this handler's
    /// place, without a trip from the pipeline's tail and a boxed value.
    func send(_ outbound: WebSocketOutbound) {
        guard let context else { return }   // removed: the connection is gone
        write(outbound, context: context, promise: nil)
    }

    private func write(_ outbound: WebSocketOutbound, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        if case .closeConnection = outbound {} else if !context.channel.isWritable, outboundBufferFull(context: context) {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch outbound {
        case .framed(let bytes):
            pending.write(from: context)
            context.write(wrapOutboundOut(bytes), promise: promise)
        case .packet(let packet) where promise == nil:
            pending.append(packet, allocator: context.channel.allocator)
            if pending.isFull { pending.write(from: context) }
        case .packet(let packet):
            pending.write(from: context)
            context.write(wrapOutboundOut(EngineFrames.wireFrame(for: packet, allocator: context.channel.allocator)), promise: promise)
        case .closeConnection:
            sendClose(context: context, code: .normalClosure)
            promise?.succeed()
        }
    }

    func flush(context: ChannelHandlerContext) {
        pending.write(from: context)
        context.flush()
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
        let channel = context.channel
        pending.write(from: context)
        context.writeAndFlush(wrapOutboundOut(EngineFrames.closeFrame(code, allocator: channel.allocator)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}
