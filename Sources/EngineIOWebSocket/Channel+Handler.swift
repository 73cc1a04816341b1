import NIOCore

extension Channel {
    /// The pipeline's handler of type `H` when the caller runs on this channel's event loop (the
    /// only place the pipeline can be read synchronously); nil elsewhere or when there is none.
    /// An owner that finds its connection's handler this way can hand it frames directly.
    public func handlerOnThisLoop<H: ChannelHandler>(_ type: H.Type) -> H? {
        guard eventLoop.inEventLoop else { return nil }
        return try? pipeline.syncOperations.handler(type: type)
    }
}
