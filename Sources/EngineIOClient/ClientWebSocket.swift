import EngineIOProtocol
import EngineIOWebSocket
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOWebSocket

/// The client's WebSocket: bytes in, read as frames (`WebSocketFrameReader`), their Engine.IO
/// packets to `onPacket`; packets out as masked wire frames (a client must mask). The only handler
/// of the connection after the upgrade.
final class ClientWebSocketHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = EnginePacket
    typealias OutboundOut = ByteBuffer

    let maxPayload: Int
    private var context: ChannelHandlerContext?
    private var maskingKeys = MaskingKeys()
    private var reader: WebSocketFrameReader
    /// Frames since the last flush, written as one buffer when it comes.
    private var pending = PendingFrames()
    /// Told which channel the packet came from: a probe becomes the main WebSocket when the upgrade completes.
    let onPacket: @Sendable (any Channel, Result<EnginePacket, EngineDecodeError>) -> Void
    let onClose: @Sendable (any Channel) -> Void
    /// The owner's flusher: what the packets of one read cause leaves when the read completes.
    let flusher: FlushCoalescer

    init(maxPayload: Int, onPacket: @escaping @Sendable (any Channel, Result<EnginePacket, EngineDecodeError>) -> Void,
         onClose: @escaping @Sendable (any Channel) -> Void, flusher: FlushCoalescer) {
        self.maxPayload = maxPayload
        self.onPacket = onPacket
        self.onClose = onClose
        self.flusher = flusher
        reader = WebSocketFrameReader(peer: .server, maxMessageBytes: maxPayload)
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
            while let frame = try reader.next() {
                receive(frame, context: context)
            }
        } catch {
            let close = EngineFrames.closeFrame(error.closeCode, allocator: context.channel.allocator, maskKey: maskingKeys.nextKey())
            let channel = context.channel
            pending.write(from: context)
            context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func receive(_ frame: InboundFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .text, .binary:
            flusher.readStarted()
            let limits = EngineLimits(maxPayloadBytes: maxPayload)
            onPacket(context.channel, Result { () throws(EngineDecodeError) -> EnginePacket in try EngineFrames.packet(from: frame, limits: limits) })
        case .ping:
            // While earlier frames still wait (a server that pings and does not read), pings go
            // unanswered instead of piling up pongs: RFC 6455 5.5.3 lets an endpoint answer only
            // the latest of several, and this keeps the client's memory bounded.
            guard context.channel.isWritable else { return }
            let pong = EngineFrames.controlFrame(.pong, payload: frame.unmaskedPayload, allocator: context.channel.allocator,
                                                 maskKey: maskingKeys.nextKey())
            pending.write(from: context)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        write(unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// The client's way in on the connection's own loop: the frame starts from this handler's
    /// place, without a trip from the pipeline's tail and a boxed value.
    func send(_ packet: EnginePacket) {
        guard let context else { return }   // removed: the connection is gone
        write(packet, context: context, promise: nil)
    }

    private func write(_ packet: EnginePacket, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let promise else {
            pending.append(packet, maskKey: maskingKeys.nextKey(), allocator: context.channel.allocator)
            if pending.isFull { pending.write(from: context) }
            return
        }
        pending.write(from: context)
        let frame = EngineFrames.wireFrame(for: packet, allocator: context.channel.allocator, maskKey: maskingKeys.nextKey())
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        pending.write(from: context)
        context.flush()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flusher.readComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        flusher.readComplete()   // a read cut short by the close still ends
        onClose(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

enum ClientWebSocket {
    /// Opens a WebSocket to `uri`; returns once the upgrade succeeded. `onChannel` is told of the
    /// connection as soon as it exists, on its loop, so a caller's deadline can close it.
    static func connect(host: String, port: Int, uri: String, headers: [(String, String)], maxPayload: Int,
                        group: any EventLoopGroup, tls: ClientTLSContext?,
                        onPacket: @escaping @Sendable (any Channel, Result<EnginePacket, EngineDecodeError>) -> Void,
                        onClose: @escaping @Sendable (any Channel) -> Void, flusher: FlushCoalescer,
                        onChannel: @escaping @Sendable (any Channel) -> Void = { _ in }) async throws -> any Channel {
        let request = try ClientUpgradeHandler.Request(host: host, port: port, uri: uri, headers: headers)
        // The initializer makes the promise on the channel's loop; the caller awaits it from here.
        let upgraded = NIOLockedValueBox<EventLoopPromise<Void>?>(nil)
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                onChannel(channel)
                let promise = channel.eventLoop.makePromise(of: Void.self)
                upgraded.withLockedValue { $0 = promise }
                let upgrade = ClientUpgradeHandler(request: request, upgraded: promise) {
                    ClientWebSocketHandler(maxPayload: maxPayload, onPacket: onPacket, onClose: onClose, flusher: flusher)
                }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try tls.handler()) }
                    try channel.pipeline.syncOperations.addHandler(upgrade)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(hostOrAddress: host, port: port).get()
        } catch {
            // The initializer may have made the promise before the connection failed: complete it.
            upgraded.withLockedValue { $0 }?.fail(error)
            throw error
        }
        guard let promise = upgraded.withLockedValue({ $0 }) else { throw EngineClientError.connectionFailed("no channel") }
        try await promise.futureResult.get()
        return channel
    }
}
