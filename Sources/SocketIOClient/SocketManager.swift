import EngineIOClient
import NIOConcurrencyHelpers
import NIOCore

/// Owns one Engine.IO connection and multiplexes a socket per namespace over it: socket.io-client's
/// `Manager`. The socket table is behind a lock; the decoder is confined to the connection's loop,
/// where the Engine.IO client calls its delegate.
public final class SocketManager: EngineClientDelegate, @unchecked Sendable {
    public let configuration: EngineClientConfiguration
    let engine: EngineClient
    var eventLoop: any EventLoop { engine.eventLoop }
    private var decoder = SocketPacketDecoder()
    private let sockets = NIOLockedValueBox<[String: ClientSocket]>([:])
    private let opening = NIOLockedValueBox<EventLoopFuture<EngineHandshake>?>(nil)

    public init(configuration: EngineClientConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        engine = EngineClient(configuration: configuration, group: group)
    }

    /// The socket for a namespace (one per namespace per manager, as in socket.io-client).
    public func socket(_ namespace: String = "/") -> ClientSocket {
        let name = namespace.hasPrefix("/") ? namespace : "/" + namespace
        return sockets.withLockedValue { table in
            if let existing = table[name] { return existing }
            let socket = ClientSocket(namespace: name, manager: self)
            table[name] = socket
            return socket
        }
    }

    /// Opens the Engine.IO connection once; later calls wait for the same opening.
    func open() async throws(EngineClientError) {
        let (future, start): (EventLoopFuture<EngineHandshake>, EventLoopPromise<EngineHandshake>?) = opening.withLockedValue { opening in
            if let existing = opening { return (existing, nil) }
            let promise = eventLoop.makePromise(of: EngineHandshake.self)
            opening = promise.futureResult
            return (promise.futureResult, promise)
        }
        if let start {
            let engine = self.engine
            start.completeWithTask {
                await engine.setDelegate(self)
                return try await engine.connect()
            }
        }
        do {
            _ = try await future.get()
        } catch let error as EngineClientError {
            throw error
        } catch {
            throw .connectionFailed(String(describing: error))
        }
    }

    /// Closes the connection and every socket on it.
    public func close() { engine.close() }

    func send(_ packet: SocketPacket) {
        guard let encoded = try? SocketPacketEncoder.encode(packet) else { return }
        engine.send(text: encoded.text)
        for attachment in encoded.attachments { engine.send(binary: attachment) }
    }

    // MARK: EngineClientDelegate (on the loop)

    public func engineClient(_ client: EngineClient, didReceive data: EngineData) {
        let result: SocketDecoderResult
        do {
            switch data {
            case .text(let text): result = try decoder.decode(text: text)
            case .binary(let bytes): result = try decoder.decode(binary: bytes)
            }
        } catch {
            for socket in sockets.withLockedValue({ Array($0.values) }) { socket.connectionLost(reason: .parseError) }
            engine.close()
            return
        }
        guard case .packet(let packet) = result else { return }
        sockets.withLockedValue { $0[packet.namespace] }?.receive(packet)
    }

    public func engineClient(_ client: EngineClient, didCloseWith reason: EngineClientCloseReason) {
        let why: ClientDisconnectReason
        switch reason {
        case .pingTimeout: why = .pingTimeout
        case .transportClose, .serverClose: why = .transportClose
        case .transportError: why = .transportError
        case .parseError: why = .parseError
        case .clientClose: why = .ioClientDisconnect
        }
        for socket in sockets.withLockedValue({ Array($0.values) }) { socket.connectionLost(reason: why) }
    }
}
