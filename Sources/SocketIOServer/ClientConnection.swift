import EngineIOServer
import EngineIOWebSocket
import NIOCore
import SocketIOTrace

/// One Engine.IO session seen by the Socket.IO layer: decodes its packets and multiplexes them to
/// one socket per namespace. State is confined to the session's event loop.
final class ClientConnection: EngineSessionDelegate, @unchecked Sendable {
    let server: SocketIOServer
    let session: EngineSession
    private var decoder: SocketPacketDecoder
    /// Each namespace's state on this connection, and what a packet may do in it.
    private var memberships = NamespaceMemberships<ServerSocket>()
    private var connectTimer: LoopTimer?

    init(server: SocketIOServer, session: EngineSession) {
        self.server = server
        self.session = session
        decoder = SocketPacketDecoder(limits: server.configuration.limits)
    }

    func start() {
        connectTimer = session.timers.schedule(in: .milliseconds(Int64(server.configuration.connectTimeout))) { [self] in
            if !memberships.hasMembers { session.close(reason: .forcedClose) }
        }
    }

    // MARK: Sending

    func send(_ packet: SocketPacket) {
        guard let encoded = try? SocketPacketEncoder.encode(packet) else { return }
        send(packet, encoded: encoded, volatile: false)
    }

    /// Sends an encoded packet; broadcasts share one encoding among all recipients, and with
    /// `shared` (the packet's text framed once) one WebSocket frame too.
    func send(_ packet: SocketPacket, encoded: EncodedSocketPacket, volatile: Bool, shared: SharedPacket? = nil) {
        server.trace?.record(.socketPacket(side: .server, sid: session.id, direction: .outbound,
                                           packet: packet.asSent(attachments: encoded.attachments.count)))
        // Attachments cannot be volatile one by one: a binary event always goes whole.
        if volatile, encoded.attachments.isEmpty {
            if let shared { session.sendVolatile(shared) } else { session.sendVolatile(.message(encoded.text)) }
            return
        }
        if let shared { session.send(shared) } else { session.send(.message(encoded.text)) }
        for attachment in encoded.attachments { session.send(.binary(attachment)) }
    }

    // MARK: EngineSessionDelegate

    func engineSession(_ session: EngineSession, didReceive data: EngineData) {
        let result: SocketDecoderResult
        do {
            switch data {
            case .text(let text):
                result = try decoder.decode(text: text)
            case .binary(let bytes):
                result = try decoder.decode(binary: bytes)
            }
        } catch {
            session.close(reason: .parseError)
            return
        }
        if case .needsAttachments = result, let pending = decoder.pendingPacket, !memberships.isJoined(pending.namespace) {
            // Binary data for a namespace this client has not joined is never held (python-socketio
            // GHSA-5w7q-77mv-v69f, socketioxide 0.18.7): the packet breaks the protocol, so the
            // connection ends before any attachment is read.
            decoder.reset()
            session.close(reason: .forcedClose)
            return
        }
        guard case .packet(let packet) = result else { return }
        server.trace?.record(.socketPacket(side: .server, sid: session.id, direction: .inbound, packet: packet))
        route(packet)
    }

    func engineSession(_ session: EngineSession, didCloseWith reason: EngineCloseReason) {
        connectTimer?.cancel()
        closeAll(reason: DisconnectReason(reason), closeSession: false)
    }

    /// Each packet in the state of its namespace (`NamespaceMemberships`): a packet in the wrong
    /// state (an event before CONNECT or while the middleware decide, a second CONNECT, a packet for
    /// another namespace) ends the connection, as socket.io's server does.
    private func route(_ packet: SocketPacket) {
        switch memberships.packet(packet.type, for: packet.namespace) {
        case .connect:
            connect(packet)
        case .ignore:
            break
        case .deliver(let socket):
            if packet.type == .event || packet.type == .binaryEvent { socket.dispatch(packet) } else { socket.receiveAck(packet) }
        case .leave(let socket):
            socket.didDisconnect(reason: .clientNamespaceDisconnect)
        case .closeConnection:
            session.close(reason: packet.type == .connectError ? .parseError : .forcedClose)
        }
    }

    // MARK: Namespaces

    private func connect(_ packet: SocketPacket) {
        let name = packet.namespace
        let auth = packet.payload?.objectValue ?? JSONObject()
        // A namespace that exists and whose middleware all decide at once is joined in this turn of
        // the loop: a task and two thread hops per connection were most of a handshake's cost.
        if let namespace = server.namespace(named: name) {
            let socket = makeSocket(namespace, auth: auth)
            if let verdict = namespace.decideMiddlewareNow(for: socket) { return admit(socket, verdict) }
            Task { await runMiddleware(for: socket) }
            return
        }
        Task { [self] in
            guard let namespace = await server.resolveNamespace(name, auth: auth) else {
                session.eventLoop.execute { [self] in
                    guard memberships.chainEnded(name, admitted: nil) else { return }
                    send(.connectError(namespace: name, message: "Invalid namespace"))
                }
                return
            }
            await runMiddleware(for: makeSocket(namespace, auth: auth))
        }
    }

    /// A chain with a step that waits: it runs in a task, and the verdict comes back to the loop.
    private func runMiddleware(for socket: ServerSocket) async {
        let verdict = await socket.namespace.runMiddleware(for: socket)
        session.eventLoop.execute { [self] in admit(socket, verdict) }
    }

    private func makeSocket(_ namespace: Namespace, auth: JSONObject) -> ServerSocket {
        ServerSocket(id: makeRandomID(), namespace: namespace,
                     handshake: SocketHandshake(request: session.request, auth: auth), connection: self)
    }

    /// After the middleware chain: the socket joins its namespace, or the client hears why not.
    private func admit(_ socket: ServerSocket, _ verdict: MiddlewareVerdict) {
        let name = socket.namespace.name
        let admitted: ServerSocket? = if case .admit = verdict { socket } else { nil }
        // Not waited for any more when the connection closed meanwhile (closing removes every membership).
        guard memberships.chainEnded(name, admitted: admitted) else { return }
        if case .refuse(let refusal) = verdict {
            send(.connectError(namespace: name, message: refusal.message, data: refusal.data))
            return
        }
        connectTimer?.cancel()
        socket.namespace.add(socket)
        socket.markConnected()
        send(.connected(namespace: name, sid: socket.id))
        server.trace?.record(.socketConnected(side: .server, namespace: name, socketID: socket.id, sid: session.id,
                                              transport: socket.transport == .websocket ? .websocket : .polling,
                                              auth: socket.handshake.auth, remoteAddress: socket.handshake.address))
        for handler in socket.namespace.connectionHandlers { handler(socket) }
    }

    /// Forgets one socket and tells it why it left.
    func remove(_ socket: ServerSocket, reason: DisconnectReason) {
        session.eventLoop.assertInEventLoop()
        guard memberships.remove(socket.namespace.name, where: { $0 === socket }) else { return }
        socket.didDisconnect(reason: reason)
    }

    /// Every socket leaves; with `closeSession`, the Engine.IO session ends too.
    func closeAll(reason: DisconnectReason, closeSession: Bool = true) {
        session.eventLoop.assertInEventLoop()
        let all = memberships.removeAll()
        for socket in all { socket.didDisconnect(reason: reason) }
        if closeSession { session.close(reason: .forcedClose) }
    }
}
