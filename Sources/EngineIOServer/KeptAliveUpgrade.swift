import EngineIOWebSocket
import NIOCore
import NIOHTTP1

/// A WebSocket upgrade that is not the first request of its connection. NIO's upgrade handler only
/// looks at a connection's first request, so a client that polls and then upgrades on the same
/// kept-alive connection (python-socketio's AsyncClient on aiohttp) is upgraded here instead: the
/// same decision and the same 101 as for a first request, then the HTTP handlers leave and the
/// WebSocket handler takes the connection, with any bytes the decoder had not parsed yet.
enum KeptAliveUpgrade {
    /// A GET that asks to become a WebSocket (`Upgrade: websocket`).
    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.method == .GET && head.headers["upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// Answers 101 through the HTTP encoder, takes the HTTP handlers out (the decoder last, so what
    /// it holds reaches the WebSocket handler), and attaches the session. Called on the connection's
    /// loop from the Engine.IO HTTP handler, which leaves the pipeline too.
    static func perform(context: ChannelHandlerContext, head: HTTPRequestHead, request: UpgradeRequest,
                        mounts: EngineMounts) throws {
        let channel = context.channel
        let pipeline = channel.pipeline.syncOperations
        let accept = WebSocketHandshake.acceptValue(forKey: request.first("sec-websocket-key") ?? "")
        let headers = HTTPHeaders([("Upgrade", "websocket"), ("Connection", "upgrade"), ("Sec-WebSocket-Accept", accept)])
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: .switchingProtocols,
                                                                           headers: headers))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)

        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        var httpHandlers: [any RemovableChannelHandler] = [try pipeline.handler(type: HTTPResponseEncoder.self)]
        if let pipelining = try? pipeline.handler(type: HTTPServerPipelineHandler.self) { httpHandlers.append(pipelining) }
        if let validator = try? pipeline.handler(type: NIOHTTPResponseHeadersValidator.self) { httpHandlers.append(validator) }
        if let errors = try? pipeline.handler(type: HTTPServerProtocolErrorHandler.self) { httpHandlers.append(errors) }
        if let guardHandler = try? pipeline.handler(type: RequestGuard.self) { httpHandlers.append(guardHandler) }
        for handler in httpHandlers { pipeline.removeHandler(handler, promise: nil) }
        pipeline.removeHandler(context: context, promise: nil)

        let attached = try EngineHTTPServer.attachWebSocket(channel: channel, request: request, mounts: mounts)
        attached.whenComplete { result in
            guard case .success = result else { return channel.close(promise: nil) }
            channel.pipeline.syncOperations.removeHandler(decoder, promise: nil)
        }
    }
}
