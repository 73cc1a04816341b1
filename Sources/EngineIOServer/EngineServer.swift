import EngineIOProtocol
import EngineIOWebSocket
import NIOConcurrencyHelpers
import NIOCore
import SocketIOTrace

/// An Engine.IO server mounted on one path: its configuration and its table of sessions. Serve it
/// with `EngineHTTPServer` (several can share a port on different paths).
public final class EngineServer: Sendable {
    public let configuration: EngineServerConfiguration
    let trace: (any TraceSink)?
    let onConnection: @Sendable (EngineSession) -> Void
    private let sessions = NIOLockedValueBox<[String: EngineSession]>([:])
    /// Set while shutting down: existing sessions are served, new ones refused.
    private let draining = NIOLockedValueBox(false)
    /// The sessions' timers, one set per event loop.
    private let timers = LoopTimersTable()

    /// `onConnection` runs on the new session's event loop once the client has its open packet;
    /// set the session's delegate there.
    public init(configuration: EngineServerConfiguration = .init(), trace: (any TraceSink)? = nil,
                onConnection: @escaping @Sendable (EngineSession) -> Void) {
        self.configuration = configuration
        self.trace = trace
        self.onConnection = onConnection
    }

    public var sessionCount: Int { sessions.withLockedValue { $0.count } }

    public func session(id: String) -> EngineSession? {
        sessions.withLockedValue { $0[id] }
    }

    /// Creates and registers a session bound to `eventLoop`: on polling, or on `webSocket` when given.
    func openSession(request: EngineRequest, eventLoop: any EventLoop, webSocket: (any Channel)? = nil) -> EngineSession {
        let transport: EngineTransport = webSocket == nil ? .polling : .websocket
        let session = EngineSession(
            id: SessionID.make(), eventLoop: eventLoop, timers: timers.timers(for: eventLoop), request: request, transport: transport,
            webSocket: webSocket, configuration: configuration, trace: trace,
            onEnded: { [weak self] ended in self?.sessions.withLockedValue { $0[ended.id] = nil } })
        sessions.withLockedValue { $0[session.id] = session }
        trace?.record(.engineOpened(side: .server, sid: session.id, transport: transport == .polling ? .polling : .websocket,
                                    remoteAddress: request.remoteAddress))
        return session
    }

    /// Waits, at most `deadline`, until every polling client has fetched what is queued for it and
    /// `ready` says so too (a layer above may be waiting for acks), then closes every session with
    /// "server shutting down".
    public func drainAndClose(within deadline: Duration, until ready: @Sendable () -> Bool = { true }) async {
        draining.withLockedValue { $0 = true }
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while clock.now < end {
            // `ready` first: whatever it stops waiting for (an owed ack) was queued before it
            // agreed, so the queue count taken after it sees that packet.
            let readyNow = ready()
            let sessions = self.sessions.withLockedValue { Array($0.values) }
            var queued = 0
            for session in sessions {
                queued += (try? await session.eventLoop.submit { session.queuedCount }.get()) ?? 0
            }
            if queued == 0 && readyNow { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        closeAll(reason: .serverShuttingDown)
    }

    /// Closes every session, telling each client why.
    public func closeAll(reason: EngineCloseReason = .serverShuttingDown) {
        for session in sessions.withLockedValue({ Array($0.values) }) { session.close(reason: reason) }
    }

    func refused(status: Int, code: EngineErrorCode?, message: String, remoteAddress: String?) {
        trace?.record(.engineRefused(side: .server, status: status, code: code?.rawValue, message: message, remoteAddress: remoteAddress))
    }

    /// The checks every request goes through before it reaches a session, in the reference
    /// server's order: protocol version, transport, session id.
    enum Route {
        case handshake(EngineTransport)
        case poll(EngineSession)
        case post(EngineSession)
        case upgrade(EngineSession)
        case refuse(EngineErrorCode)
        /// Shutting down: no new sessions (HTTP 503).
        case unavailable
    }

    func route(method: String, uri: String, query: [String: String], isWebSocket: Bool) -> Route {
        if let repeated = QueryString.repeatedEngineParameter(in: uri) {
            return .refuse(repeated == "EIO" ? .unsupportedProtocolVersion : .badRequest)
        }
        guard query["EIO"] == "4" else { return .refuse(.unsupportedProtocolVersion) }
        guard let transport = query["transport"].flatMap(EngineTransport.init(rawValue:)),
              configuration.transports.contains(transport) else { return .refuse(.transportUnknown) }
        if let sid = query["sid"] {
            guard let session = session(id: sid) else { return .refuse(.sessionIDUnknown) }
            if isWebSocket { return transport == .websocket ? .upgrade(session) : .refuse(.badRequest) }
            guard transport == .polling else { return .refuse(.badRequest) }
            switch method {
            case "GET": return .poll(session)
            case "POST": return .post(session)
            default: return .refuse(.badHandshakeMethod)
            }
        }
        if transport == .websocket && !isWebSocket { return .refuse(.badRequest) }
        guard method == "GET" else { return .refuse(.badHandshakeMethod) }
        if draining.withLockedValue({ $0 }) { return .unavailable }
        return .handshake(transport)
    }
}
