import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The WebSocket upgrade: NIO's upgrader checks the request and answers it (the accept key), and
/// `attach` then puts our one WebSocket handler in the pipeline, in place of the frame encoder,
/// decoder and error handler NIO's would add (`EngineWebSocketHandler` reads and writes frames).
struct EngineWebSocketUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let handshake: NIOWebSocketServerUpgrader
    let attach: @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<Void>

    init(shouldUpgrade: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>,
         attach: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<Void>) {
        handshake = NIOWebSocketServerUpgrader(
            shouldUpgrade: shouldUpgrade,
            // Never called: `upgrade` below does not go through NIO's upgrader.
            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeFailedFuture(ChannelError.inappropriateOperationForState) })
        self.attach = attach
    }

    var supportedProtocol: String { handshake.supportedProtocol }
    var requiredUpgradeHeaders: [String] { handshake.requiredUpgradeHeaders }

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead,
                              initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        handshake.buildUpgradeResponse(channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        attach(context.channel, upgradeRequest)
    }
}
