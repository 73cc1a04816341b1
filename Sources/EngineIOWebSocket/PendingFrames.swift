import EngineIOProtocol
import NIOCore
import NIOWebSocket

/// Frames written to a connection since its last flush, gathered in one buffer and handed to NIO
/// as one write when the flush comes. Under load a read brings several messages and their answers
/// leave together: one buffer and one trip through NIO's write path for all of them instead of a
/// buffer and a trip each. Frames made elsewhere (a broadcast's, shared by all its recipients) are
/// not copied in: the handler writes what is pending, then the shared frame. Held by a
/// connection's handler, used on its event loop.
public struct PendingFrames {
    private var buffer: ByteBuffer?

    public init() {}

    public var isEmpty: Bool { buffer == nil }

    /// Past this, the frames go to NIO before the flush, so that a burst within one loop turn
    /// still counts against the connection's outbound bound (NIO's buffered bytes).
    public static let handOverBytes = 64 * 1024

    public var isFull: Bool { (buffer?.readableBytes ?? 0) >= Self.handOverBytes }

    /// Appends `packet`'s frame, masked with `maskKey` when given.
    public mutating func append(_ packet: EnginePacket, maskKey: WebSocketMaskingKey? = nil, allocator: ByteBufferAllocator) {
        if buffer == nil {
            // Room for a few more small frames: answers to one read usually come several at a time.
            buffer = allocator.buffer(capacity: max(256, EngineFrames.wireSize(of: packet, masked: maskKey != nil)))
        }
        EngineFrames.writeWireFrame(for: packet, maskKey: maskKey, into: &buffer!)
    }

    /// Everything gathered, to be written now; afterwards the next frame starts a new buffer.
    public mutating func take() -> ByteBuffer? {
        defer { buffer = nil }
        return buffer
    }

    /// Writes what is gathered (if anything) from the handler's place in the pipeline, unflushed.
    public mutating func write(from context: ChannelHandlerContext) {
        guard let frames = take() else { return }
        context.write(NIOAny(frames), promise: nil)
    }
}
