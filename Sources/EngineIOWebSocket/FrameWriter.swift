import EngineIOProtocol
import NIOCore
import NIOWebSocket

/// Writes packets as whole wire frames (`EngineFrames.wireFrame`) from the place of NIO's frame
/// encoder in the pipeline, past it; control frames still go through the encoder. Held by a
/// connection's handler and used on its event loop.
public struct FrameWriter {
    private var encoder: ChannelHandlerContext?

    public init() {}

    /// From the handler's `handlerAdded`: finds the encoder NIO's upgrader put in the pipeline.
    public mutating func attach(_ context: ChannelHandlerContext) {
        encoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
    }

    /// From the handler's `handlerRemoved`.
    public mutating func detach() {
        encoder = nil
    }

    /// Writes `packet`, masked with `maskKey` when given, or `wireFrame` when the packet's frame is
    /// already made (a server's broadcast: never masked). Without NIO's encoder in the pipeline the
    /// packet goes down as a frame value from `context`.
    public func write(_ packet: EnginePacket, wireFrame: ByteBuffer? = nil, maskKey: WebSocketMaskingKey? = nil,
                      context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let encoder else {
            context.write(NIOAny(EngineFrames.frame(for: packet, allocator: context.channel.allocator, maskKey: maskKey)), promise: promise)
            return
        }
        let bytes = wireFrame ?? EngineFrames.wireFrame(for: packet, allocator: context.channel.allocator, maskKey: maskKey)
        encoder.write(NIOAny(bytes), promise: promise)
    }
}
