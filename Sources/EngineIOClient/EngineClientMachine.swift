import NIOCore

/// The lifecycle of one client-side Engine.IO connection: connecting, open on long-polling (one GET
/// and one POST at most in flight), the upgrade (probe, pause, switch), open on WebSocket, the ping
/// watchdog, and the close.
///
/// A value type with one `mutating` method per input that returns what to do; `EngineClient`
/// performs it on its event loop and keeps the I/O (connections, channels, the outgoing queue).
/// Time is an input. Generic over the WebSocket handle, compared by identity (a channel, or any
/// object in tests).
struct EngineClientMachine<Socket> {
    enum Upgrade {
        case none
        /// The probe WebSocket is open and `2probe` sent; polling goes on.
        case probing(Socket)
        /// `3probe` came back: no new GET or POST starts; the switch happens once none is in flight.
        case paused(Socket)
    }

    struct Polling {
        var pollInFlight = false
        var postInFlight = false
        var upgrade = Upgrade.none
    }

    enum Phase {
        case idle
        case connecting
        case polling(Polling)
        case websocket(Socket)
        case closed(EngineClientCloseReason)
    }

    private(set) var phase = Phase.idle
    /// Set when the connect attempt ran past its time limit (the reason a waiting connect reports).
    private(set) var connectTimedOut = false
    /// When the last ping (or the open packet) came, and how long the server may stay silent after it.
    private(set) var lastPing = NIODeadline.uptimeNanoseconds(0)
    private(set) var allowedSilence = TimeAmount.zero

    private func same(_ a: Socket, _ b: Socket) -> Bool {
        (a as AnyObject) === (b as AnyObject)
    }

    var isOpen: Bool {
        switch phase {
        case .polling, .websocket: return true
        default: return false
        }
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    var isConnecting: Bool {
        if case .connecting = phase { return true }
        return false
    }

    var transport: EngineTransport {
        if case .websocket = phase { return .websocket }
        return .polling
    }

    var polling: Polling? {
        if case .polling(let state) = phase { return state }
        return nil
    }

    var probe: Socket? {
        switch polling?.upgrade {
        case .probing(let socket)?, .paused(let socket)?: return socket
        default: return nil
        }
    }

    /// Whether polling may not start requests now: a POST waits for its answer, or an upgrade is switching.
    var pollingBusy: Bool {
        guard let polling else { return false }
        if case .paused = polling.upgrade { return true }
        return polling.postInFlight
    }

    /// Nothing waits to leave on polling (what `drain()` waits for, besides an empty queue).
    var pollingQuiet: Bool {
        guard let polling else { return true }
        if case .paused = polling.upgrade { return false }
        return !polling.postInFlight
    }

    // MARK: Connecting

    /// `connect()` may be called once.
    mutating func connectStarted() -> Bool {
        guard case .idle = phase else { return false }
        phase = .connecting
        return true
    }

    /// The open packet came: on polling, or as the WebSocket-only connection's first frame.
    mutating func opened(on webSocket: Socket?, pingInterval: Int, pingTimeout: Int, now: NIODeadline) -> Bool {
        guard case .connecting = phase else { return false }
        phase = webSocket.map(Phase.websocket) ?? .polling(Polling())
        allowedSilence = .milliseconds(Int64(pingInterval + pingTimeout))
        lastPing = now
        return true
    }

    /// The connect attempt's time limit passed: if it is still connecting, it is over.
    mutating func connectDeadlinePassed() -> Bool {
        guard case .connecting = phase else { return false }
        connectTimedOut = true
        phase = .closed(.transportError)
        return true
    }

    // MARK: Long-polling

    /// Starts a GET if one may start now (open on polling, none in flight, no upgrade switching).
    mutating func startPoll() -> Bool { start(\.pollInFlight) }

    /// Starts a POST if one may start now.
    mutating func startPost() -> Bool { start(\.postInFlight) }

    private mutating func start(_ inFlight: WritableKeyPath<Polling, Bool>) -> Bool {
        guard case .polling(var state) = phase, !state[keyPath: inFlight] else { return false }
        if case .paused = state.upgrade { return false }
        state[keyPath: inFlight] = true
        phase = .polling(state)
        return true
    }

    enum RequestOutcome {
        /// Go on: start the next GET (after a poll) or POST what is queued (after a POST).
        case next
        /// The probe was answered and this was the last request in flight: switch to the probe.
        case upgrade(Socket)
        /// The request failed on polling: the connection is over.
        case close(EngineClientCloseReason)
        /// The connection is no longer on polling (closed, or upgraded meanwhile).
        case ignore
    }

    mutating func pollFinished(succeeded: Bool) -> RequestOutcome { finished(\.pollInFlight, succeeded: succeeded) }

    mutating func postFinished(succeeded: Bool) -> RequestOutcome { finished(\.postInFlight, succeeded: succeeded) }

    private mutating func finished(_ inFlight: WritableKeyPath<Polling, Bool>, succeeded: Bool) -> RequestOutcome {
        guard case .polling(var state) = phase else { return .ignore }
        state[keyPath: inFlight] = false
        phase = .polling(state)
        guard succeeded else {
            close(.transportError)
            return .close(.transportError)
        }
        return switchIfQuiet() ?? .next
    }

    private mutating func switchIfQuiet() -> RequestOutcome? {
        guard case .polling(let state) = phase, case .paused(let socket) = state.upgrade,
              !state.pollInFlight, !state.postInFlight else { return nil }
        phase = .websocket(socket)
        return .upgrade(socket)
    }

    // MARK: Upgrade

    /// The probe WebSocket connected: it sends `2probe`, unless the connection moved on meanwhile.
    mutating func probeConnected(_ socket: Socket) -> Bool {
        guard case .polling(var state) = phase, case .none = state.upgrade else { return false }
        state.upgrade = .probing(socket)
        phase = .polling(state)
        return true
    }

    enum ProbeAnswer {
        /// Not the probe, or not `3probe`: nothing to do.
        case ignore
        /// Answered; a GET or POST is still in flight: the switch waits for it.
        case wait
        /// Answered and nothing in flight: switch now.
        case upgrade(Socket)
    }

    mutating func probeAnswered(on socket: Socket) -> ProbeAnswer {
        guard case .polling(var state) = phase, case .probing(let probe) = state.upgrade, same(probe, socket) else { return .ignore }
        state.upgrade = .paused(probe)
        phase = .polling(state)
        if case .upgrade(let socket)? = switchIfQuiet() { return .upgrade(socket) }
        return .wait
    }

    /// The probe closed or sent something unreadable. Returns whether polling was paused for it
    /// (it resumes: the upgrade failed, polling goes on, as official clients do).
    mutating func probeEnded(_ socket: Socket) -> Bool {
        guard case .polling(var state) = phase, let probe = self.probe, same(probe, socket) else { return false }
        let wasPaused: Bool
        if case .paused = state.upgrade { wasPaused = true } else { wasPaused = false }
        state.upgrade = .none
        phase = .polling(state)
        return wasPaused
    }

    /// Whether `socket` is the probe.
    func isProbe(_ socket: Socket) -> Bool {
        probe.map { same($0, socket) } ?? false
    }

    /// Whether `socket` is the WebSocket the connection is open on.
    func isWebSocket(_ socket: Socket) -> Bool {
        if case .websocket(let main) = phase { return same(main, socket) }
        return false
    }

    // MARK: Heartbeat

    mutating func pingReceived(now: NIODeadline) {
        lastPing = now
    }

    enum WatchdogAction: Equatable {
        /// Silent too long: the link is dead ("ping timeout").
        case close
        /// A ping came meanwhile: look again at this instant.
        case checkAt(NIODeadline)
        case none
    }

    mutating func watchdogFired(now: NIODeadline) -> WatchdogAction {
        guard isOpen else { return .none }
        let deadline = lastPing + allowedSilence
        guard now >= deadline else { return .checkAt(deadline) }
        _ = close(.pingTimeout)
        return .close
    }

    var watchdogDeadline: NIODeadline { lastPing + allowedSilence }

    // MARK: Closing

    /// Ends the connection; false when it had ended already. A probe open at that moment is kept
    /// for the executor to close (`takeOrphanedProbe`).
    @discardableResult
    mutating func close(_ reason: EngineClientCloseReason) -> Bool {
        if case .closed = phase { return false }
        orphanedProbe = probe
        phase = .closed(reason)
        return true
    }

    private var orphanedProbe: Socket?

    /// The probe that was open when the connection ended, once.
    mutating func takeOrphanedProbe() -> Socket? {
        defer { orphanedProbe = nil }
        return orphanedProbe
    }

    /// A WebSocket closed. Returns what it means for the connection.
    enum WebSocketClosedOutcome {
        case probeEnded(wasPaused: Bool)
        /// The connection's own WebSocket: the connection is over ("transport close").
        case connectionClosed
        case ignore
    }

    mutating func webSocketClosed(_ socket: Socket) -> WebSocketClosedOutcome {
        if isProbe(socket) { return .probeEnded(wasPaused: probeEnded(socket)) }
        if isWebSocket(socket) {
            close(.transportClose)
            return .connectionClosed
        }
        return .ignore
    }
}
