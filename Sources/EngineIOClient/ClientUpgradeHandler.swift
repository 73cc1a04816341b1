import EngineIOWebSocket
import NIOCore
import NIOHTTP1

/// The client's side of the WebSocket opening handshake (RFC 6455 4.1) in one handler: once
/// connected it writes the GET with the upgrade headers, reads the head of the server's answer and,
/// on a valid 101, puts the WebSocket handler in its place; bytes that came after the head (the
/// server's open packet, often) go on to it. Any other status is a refusal: the reading is handed
/// to NIO's HTTP decoder, which reads the body for the error. A 101 is the path every connection
/// takes, so it does not go through NIO's HTTP handlers (five handlers added and removed, a parser,
/// futures per step): the connection rate of `bench ramp` is bound by this path on the client side.
final class ClientUpgradeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Larger heads are refused: a 101 carries a handful of short headers.
    static let maxHeadBytes = 16 * 1024

    struct Request {
        let uri: String
        let bytes: [UInt8]
        let expectedAccept: String

        /// The upgrade request, or an error naming the extra header that cannot be sent (a name
        /// that is not a token, a value with a line break or NUL).
        init(host: String, port: Int, uri: String, headers: [(String, String)], key: String = WebSocketHandshake.makeKey())
            throws(EngineClientError) {
            var text = "GET \(uri) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            text += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
            for (name, value) in headers {
                guard HTTPHeadSyntax.isToken(name), !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                    throw .connectionFailed("the header \"\(name)\" cannot be sent: its name must be a token and its value one line")
                }
                text += "\(name): \(value)\r\n"
            }
            text += "\r\n"
            self.uri = uri
            bytes = Array(text.utf8)
            expectedAccept = WebSocketHandshake.acceptValue(forKey: key)
        }
    }

    private let request: Request
    private let upgraded: EventLoopPromise<Void>
    private let makeWebSocketHandler: () -> ClientWebSocketHandler
    private var received: ByteBuffer?
    /// How far the search for the head's end got, so each read scans only new bytes.
    private var scanned = 0

    init(request: Request, upgraded: EventLoopPromise<Void>, webSocketHandler: @escaping () -> ClientWebSocketHandler) {
        self.request = request
        self.upgraded = upgraded
        makeWebSocketHandler = webSocketHandler
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: request.bytes.count)
        buffer.writeBytes(request.bytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        let found = received!.withUnsafeReadableBytes { HTTPHeadSyntax.headEnd(in: $0, from: scanned) }
        scanned = received!.readableBytes
        let end: Int
        switch found {
        case .incomplete:
            if received!.readableBytes > Self.maxHeadBytes {
                fail(context: context, "the server's answer to the WebSocket upgrade has a head over \(Self.maxHeadBytes) bytes")
            }
            return
        case .bareLineFeed:
            return fail(context: context, "the server's answer to the WebSocket upgrade is not HTTP")
        case .complete(let offset):
            end = offset
        }
        var all = received!
        received = nil
        let head = all.readSlice(length: end)!
        switch ResponseHead(head) {
        case nil:
            fail(context: context, "the server's answer to the WebSocket upgrade is not HTTP")
        case let response? where response.status == 101:
            if let problem = response.upgradeProblem(expectedAccept: request.expectedAccept) {
                return fail(context: context, "the server's 101 answer is not a WebSocket upgrade: \(problem)")
            }
            switchToWebSocket(context: context, leftover: all)
        default:
            all.moveReaderIndex(to: all.readerIndex - end)  // the decoder reads the head too
            readRefusal(context: context, bytes: all)
        }
    }

    private func switchToWebSocket(context: ChannelHandlerContext, leftover: ByteBuffer) {
        do {
            try context.pipeline.syncOperations.addHandler(makeWebSocketHandler(), position: .after(self))
        } catch {
            return fail(context: context, "the WebSocket handler could not be added: \(error)")
        }
        upgraded.succeed()
        if leftover.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(leftover)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// A refusal (403 with the reason, 400 for a bad request): NIO's decoder reads the response,
    /// body included, told of the request it answers.
    private func readRefusal(context: ChannelHandlerContext, bytes: ByteBuffer) {
        let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)
        decoder.write(data: .head(HTTPRequestHead(version: .http1_1, method: .GET, uri: request.uri)))
        let decoding = ByteToMessageHandler(decoder)
        do {
            try context.pipeline.syncOperations.addHandler(decoding, position: .after(self))
            try context.pipeline.syncOperations.addHandler(RefusedUpgradeReader(failure: upgraded), position: .after(decoding))
        } catch {
            return fail(context: context, "the refusal could not be read: \(error)")
        }
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ reason: String) {
        received = nil
        upgraded.fail(EngineClientError.connectionFailed(reason))
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, String(describing: error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.fail(EngineClientError.connectionFailed("the connection closed before the WebSocket upgrade"))
        context.fireChannelInactive()
    }
}

/// The head of the server's answer: status line and headers, read strictly (`HTTPHeadSyntax`).
struct ResponseHead {
    let status: Int
    /// Names lowercased, values without surrounding spaces, in order.
    let headers: [(name: String, value: String)]

    init?(_ head: ByteBuffer) {
        guard let parsed = head.withUnsafeReadableBytes({ Self.parse($0) }) else { return nil }
        (status, headers) = parsed
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) -> (Int, [(name: String, value: String)])? {
        guard let lines = HTTPHeadSyntax.lines(bytes), let statusLine = lines.first else { return nil }
        // "HTTP/1.x NNN reason"
        let version = Array("HTTP/1.".utf8)
        guard statusLine.count >= 12, statusLine.starts(with: version), statusLine[8] == 0x20,
              statusLine.count == 12 || statusLine[12] == 0x20,
              statusLine[9...11].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let status = statusLine[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let field = HTTPHeadSyntax.field(line) else { return nil }
            headers.append((field.name.lowercased(), field.value))
        }
        return (status, headers)
    }

    func values(_ name: String) -> [String] { headers.filter { $0.name == name }.map(\.value) }

    /// What makes a 101 not the upgrade asked for (RFC 6455 4.1, the client's checks 2–4), or nil.
    func upgradeProblem(expectedAccept: String) -> String? {
        guard HTTPHeadSyntax.listElements(values("upgrade")).contains("websocket") else { return "no \"Upgrade: websocket\"" }
        guard HTTPHeadSyntax.listElements(values("connection")).contains("upgrade") else { return "no \"Connection: upgrade\"" }
        guard values("sec-websocket-accept") == [expectedAccept] else { return "a wrong Sec-WebSocket-Accept" }
        return nil
    }
}

/// Reads a refused upgrade's response (as NIO's decoder gives it) and fails the upgrade with its
/// status and the start of its body.
final class RefusedUpgradeReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    let failure: EventLoopPromise<Void>
    private var status = 0
    private var body: [UInt8] = []

    init(failure: EventLoopPromise<Void>) {
        self.failure = failure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = Int(response.status.code)
        case .body(var buffer): body += buffer.readBytes(length: min(buffer.readableBytes, max(0, 4096 - body.count))) ?? []
        case .end:
            failure.fail(EngineClientError.handshakeRefused(status: status, body: String(decoding: body, as: UTF8.self)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure.fail(EngineClientError.connectionFailed(String(describing: error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failure.fail(EngineClientError.connectionFailed("the connection closed before the WebSocket upgrade"))
        context.fireChannelInactive()
    }
}
