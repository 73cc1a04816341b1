import EngineIOProtocol
import NIOCore

/// The lifecycle of one server-side Engine.IO session as the Engine.IO v4 specification and its
/// published test suite describe it: the transports (a held long-poll, a POST in progress, a probe
/// WebSocket, the upgraded WebSocket), the upgrade, the heartbeat and the close.
///
/// A value type with one `mutating` method per input (a request arrived, a packet came in, a timer
/// fired) that returns what to do; `EngineSession` performs it on the session's event loop. Time is
/// an input (`now`), so every transition is tested with a fake clock and no sleeps. Generic over the
/// handles of a held poll and of a WebSocket so that tests can use plain objects. Both are compared
/// by identity: a WebSocket handle must be a reference (a channel, an object), as `any Channel` is.
///
/// Deadlines are checked when any input arrives as well as when their timer fires: a request that
/// comes after the pong deadline finds the session gone even if the timer has not run yet.
struct EngineSessionMachine<Poll: AnyObject, Socket> {
    struct Timing: Equatable {
        var pingInterval: TimeAmount
        var pingTimeout: TimeAmount
        var upgradeTimeout: TimeAmount
    }

    enum Upgrade {
        case none
        /// A WebSocket for this sid joined; it has not sent `2probe` yet.
        case probing(Socket, deadline: NIODeadline)
        /// `3probe` was sent: every long-poll is answered with a noop until `5` comes.
        case probed(Socket, deadline: NIODeadline)
    }

    enum Phase {
        case polling(heldPoll: Poll?, postInProgress: Bool, upgrade: Upgrade)
        case websocket(Socket)
        /// Closed by the server while no long-poll was held: ended for everything but the next GET,
        /// which still gets the close packet (until `deadline`), as the reference server's polling
        /// transport waits for one, and POSTs, taken and dropped. Without it the client would only
        /// meet a 400.
        case farewell(EngineCloseReason, deadline: NIODeadline)
        case closed(EngineCloseReason)
    }

    enum Heartbeat: Equatable {
        /// The next ping is due at this instant.
        case pingDue(NIODeadline)
        /// A ping was sent; the session ends unless a pong comes by this instant.
        case awaitingPong(NIODeadline)
    }

    let timing: Timing
    let allowUpgrades: Bool
    private(set) var phase: Phase
    private(set) var heartbeat: Heartbeat

    init(transport: EngineTransport, webSocket: Socket?, timing: Timing, allowUpgrades: Bool, now: NIODeadline) {
        self.timing = timing
        self.allowUpgrades = allowUpgrades
        if transport == .websocket, let webSocket {
            phase = .websocket(webSocket)
        } else {
            phase = .polling(heldPoll: nil, postInProgress: false, upgrade: .none)
        }
        heartbeat = .pingDue(now + timing.pingInterval)
    }

    private func same(_ a: Socket, _ b: Socket) -> Bool {
        (a as AnyObject) === (b as AnyObject)
    }

    var isClosed: Bool {
        switch phase {
        case .closed, .farewell: return true
        case .polling, .websocket: return false
        }
    }

    var closeReason: EngineCloseReason? {
        switch phase {
        case .closed(let reason), .farewell(let reason, _): return reason
        case .polling, .websocket: return nil
        }
    }

    var transport: EngineTransport {
        if case .websocket = phase { return .websocket }
        return .polling
    }

    var heldPoll: Poll? {
        if case .polling(let poll, _, _) = phase { return poll }
        return nil
    }

    var probeSocket: Socket? {
        guard case .polling(_, _, let upgrade) = phase else { return nil }
        switch upgrade {
        case .none: return nil
        case .probing(let socket, _), .probed(let socket, _): return socket
        }
    }

    var webSocket: Socket? {
        if case .websocket(let socket) = phase { return socket }
        return nil
    }

    // MARK: Closing

    /// What ending the session involves: the executor answers the held poll, closes the sockets,
    /// drops its queue and tells the layer above.
    struct Closing {
        var reason: EngineCloseReason
        /// The long-poll held when the session ended: answered with `close`, or with a noop when
        /// the client itself asked to close (it is not waiting for anything more).
        var heldPoll: Poll?
        var answerHeldPollWithNoop = false
        var webSocket: Socket?
        var probe: Socket?
        /// Ended, but the next GET still gets the queue and the close packet (`farewellArrived`):
        /// keep the session findable and its queue, until then or `farewellExpired`.
        var awaitsFarewellPoll = false
    }

    /// The server ends the session and tells the client so: on the WebSocket or the held poll, or,
    /// on polling with no poll held, on the next GET that comes within `timing.pingTimeout`. A probe
    /// in progress is closed: the client's upgrade fails, it polls again and gets the close.
    mutating func closeTellingClient(_ reason: EngineCloseReason, now: NIODeadline) -> Closing? {
        guard case .polling(nil, _, let upgrade) = phase else { return close(reason) }
        var closing = Closing(reason: reason)
        if case .probing(let socket, _) = upgrade { closing.probe = socket }
        if case .probed(let socket, _) = upgrade { closing.probe = socket }
        phase = .farewell(reason, deadline: now + timing.pingTimeout)
        closing.awaitsFarewellPoll = true
        return closing
    }

    /// After `closeTellingClient`: the GET that takes the close packet came. True if it is the one
    /// (the executor answers it with the queue and `close`, then forgets the session).
    mutating func farewellArrived(now: NIODeadline) -> Bool {
        guard case .farewell(let reason, let deadline) = phase, now < deadline else { return false }
        phase = .closed(reason)
        return true
    }

    /// The farewell's deadline passed with no GET: the session can be forgotten. True once.
    mutating func farewellExpired(now: NIODeadline) -> Bool {
        guard case .farewell(let reason, let deadline) = phase, now >= deadline else { return false }
        phase = .closed(reason)
        return true
    }

    /// Ends the session (a no-op, nil, when it has ended already).
    mutating func close(_ reason: EngineCloseReason) -> Closing? {
        var closing = Closing(reason: reason)
        switch phase {
        case .closed, .farewell:
            return nil
        case .polling(let poll, _, let upgrade):
            closing.heldPoll = poll
            if case .probing(let socket, _) = upgrade { closing.probe = socket }
            if case .probed(let socket, _) = upgrade { closing.probe = socket }
        case .websocket(let socket):
            closing.webSocket = socket
        }
        phase = .closed(reason)
        return closing
    }

    /// Any input first: a session whose pong deadline has passed is over, timer or no timer. The
    /// clock is read only while a pong is awaited (not for every message of a busy session).
    private mutating func expireIfOverdue(now: () -> NIODeadline) -> Closing? {
        guard case .awaitingPong(let deadline) = heartbeat, now() >= deadline else { return nil }
        return close(.pingTimeout)
    }

    private mutating func expireIfOverdue(now: NIODeadline) -> Closing? {
        expireIfOverdue(now: { now })
    }

    // MARK: Long-polling

    enum PollAction {
        /// Keep the poll; answer it when packets are queued (answer at once if some already are).
        case hold
        /// Answer it with a noop: an upgrade is completing and the client must stop polling.
        case answerNoop
        /// Answer it with what is queued and the close packet: the server closed the session.
        case answerFarewell
        /// 400: the session is over or not on polling any more (with what ending it involves, if this poll ended it).
        case refuse(Closing?)
        /// A second GET while one is held: the protocol violation ends the session; this one gets 400.
        case refuseOverlap(Closing)
    }

    mutating func pollArrived(_ poll: Poll, now: NIODeadline) -> PollAction {
        if farewellArrived(now: now) { return .answerFarewell }
        if let closing = expireIfOverdue(now: now) { return .refuse(closing) }
        guard case .polling(let held, let posting, let upgrade) = phase else { return .refuse(nil) }
        if held != nil { return .refuseOverlap(close(.transportError)!) }
        if case .probed = upgrade { return .answerNoop }
        phase = .polling(heldPoll: poll, postInProgress: posting, upgrade: upgrade)
        return .hold
    }

    /// The executor is answering the held poll (with queued packets): it is no longer held.
    mutating func takeHeldPoll() -> Poll? {
        guard case .polling(let held?, let posting, let upgrade) = phase else { return nil }
        phase = .polling(heldPoll: nil, postInProgress: posting, upgrade: upgrade)
        return held
    }

    /// The connection of a held poll went away before it was answered: the client is gone, unless
    /// it is switching to a WebSocket (then the probe carries the session).
    mutating func pollConnectionLost(_ poll: Poll) -> Closing? {
        guard case .polling(let held?, let posting, let upgrade) = phase, held === poll else { return nil }
        phase = .polling(heldPoll: nil, postInProgress: posting, upgrade: upgrade)
        if case .none = upgrade { return close(.transportError) }
        return nil
    }

    enum PostAction {
        /// The POST has the session's one POST slot: read its body.
        case accept
        case refuse(Closing?)
        /// A second POST while one is being read ends the session.
        case refuseOverlap(Closing)
    }

    mutating func postArrived(now: NIODeadline) -> PostAction {
        // While the close waits for its GET the client may still send (a pong crossing the close):
        // taken and dropped, as the reference server's polling transport does until it closes.
        if case .farewell(_, let deadline) = phase, now < deadline { return .accept }
        if let closing = expireIfOverdue(now: now) { return .refuse(closing) }
        guard case .polling(let held, let posting, let upgrade) = phase else { return .refuse(nil) }
        if posting { return .refuseOverlap(close(.transportError)!) }
        phase = .polling(heldPoll: held, postInProgress: true, upgrade: upgrade)
        return .accept
    }

    mutating func postEnded() {
        guard case .polling(let held, _, let upgrade) = phase else { return }
        phase = .polling(heldPoll: held, postInProgress: false, upgrade: upgrade)
    }

    // MARK: Packets from the client

    enum PacketAction {
        /// Give the message to the layer above.
        case deliver
        case ignore
        /// The pong that was awaited: the next ping is due in this much time.
        case pingIn(TimeAmount)
        case close(Closing)
    }

    /// A packet from the client on its current transport (a POST body or the upgraded WebSocket).
    mutating func packetReceived(_ type: EnginePacketType, now: @autoclosure () -> NIODeadline) -> PacketAction {
        if let closing = expireIfOverdue(now: now) { return .close(closing) }
        guard !isClosed else { return .ignore }
        switch type {
        case .message:
            return .deliver
        case .pong:
            guard case .awaitingPong = heartbeat else { return .ignore }
            heartbeat = .pingDue(now() + timing.pingInterval)
            return .pingIn(timing.pingInterval)
        case .close:
            var closing = close(.transportClose)!
            closing.answerHeldPollWithNoop = true
            return .close(closing)
        case .ping:
            // In v4 only the server pings: a ping from the client is the wrong heartbeat direction.
            return .close(close(.transportError)!)
        case .open, .upgrade, .noop:
            // These mean something only during the probe.
            return .ignore
        }
    }

    // MARK: Heartbeat

    enum HeartbeatAction: Equatable {
        case none
        /// Send a ping, then check again in `pingTimeout`.
        case sendPing(checkAgainIn: TimeAmount)
        /// Not yet due (a pong moved it): check again in this much time.
        case checkAgainIn(TimeAmount)
        case close
    }

    /// The heartbeat timer fired. Returns what to do and, for `.close`, what closing involves.
    mutating func heartbeatTimerFired(now: NIODeadline) -> (HeartbeatAction, Closing?) {
        guard !isClosed else { return (.none, nil) }
        switch heartbeat {
        case .pingDue(let due):
            guard now >= due else { return (.checkAgainIn(due - now), nil) }
            // Counted from when the ping was due, not from when a (slightly late) timer ran: the
            // client has pingInterval + pingTimeout from its last pong, never more.
            heartbeat = .awaitingPong(due + timing.pingTimeout)
            return (.sendPing(checkAgainIn: timing.pingTimeout), nil)
        case .awaitingPong(let deadline):
            guard now >= deadline else { return (.checkAgainIn(deadline - now), nil) }
            return (.close, close(.pingTimeout))
        }
    }

    // MARK: Upgrade

    enum WebSocketJoinAction {
        /// It is the probe: wait for `2probe`, at most `upgradeTimeout`.
        case probe(timeout: TimeAmount)
        /// The session is upgrading or upgraded already (or cannot upgrade): this socket is closed
        /// at once and the session goes on, as the reference server does.
        case closeIt
    }

    mutating func webSocketJoined(_ socket: Socket, now: NIODeadline) -> WebSocketJoinAction {
        guard allowUpgrades, case .polling(let held, let posting, .none) = phase,
              expireIfOverdueQuietly(now: now) == false else { return .closeIt }
        phase = .polling(heldPoll: held, postInProgress: posting, upgrade: .probing(socket, deadline: now + timing.upgradeTimeout))
        return .probe(timeout: timing.upgradeTimeout)
    }

    private func expireIfOverdueQuietly(now: NIODeadline) -> Bool {
        if case .awaitingPong(let deadline) = heartbeat { return now >= deadline }
        return false
    }

    enum ProbeAction {
        /// Not the probe socket (or the session has ended): nothing to do.
        case ignore
        /// Write `3probe` on the probe socket; answer the held poll (if any) with a noop.
        case answerProbe(releasePoll: Poll?)
        /// `5`: the probe is the transport now. Answer the held poll with a noop, move the queue over.
        case promote(releasePoll: Poll?)
        /// Anything else on the probe: the upgrade failed; close the probe, polling goes on.
        case failProbe
    }

    mutating func probeFrame(_ type: EnginePacketType, isProbe: Bool, on socket: Socket, now: NIODeadline) -> ProbeAction {
        guard case .polling(let held, let posting, let upgrade) = phase else { return .ignore }
        let probing: Socket
        let deadline: NIODeadline
        let answered: Bool
        switch upgrade {
        case .none: return .ignore
        case .probing(let s, let d): (probing, deadline, answered) = (s, d, false)
        case .probed(let s, let d): (probing, deadline, answered) = (s, d, true)
        }
        guard same(probing, socket) else { return .ignore }
        switch type {
        case .ping where isProbe && !answered:
            phase = .polling(heldPoll: nil, postInProgress: posting, upgrade: .probed(socket, deadline: deadline))
            return .answerProbe(releasePoll: held)
        case .upgrade:
            phase = .websocket(socket)
            return .promote(releasePoll: held)
        default:
            phase = .polling(heldPoll: held, postInProgress: posting, upgrade: .none)
            return .failProbe
        }
    }

    /// The upgrade timer fired: a probe that has not completed by its deadline is dropped.
    mutating func upgradeTimerFired(now: NIODeadline) -> Socket? {
        guard case .polling(let held, let posting, let upgrade) = phase else { return nil }
        switch upgrade {
        case .probing(let socket, let deadline) where now >= deadline, .probed(let socket, let deadline) where now >= deadline:
            phase = .polling(heldPoll: held, postInProgress: posting, upgrade: .none)
            return socket
        default:
            return nil
        }
    }

    /// A WebSocket connection of this session closed (or failed).
    mutating func webSocketClosed(_ socket: Socket, reason: EngineCloseReason) -> Closing? {
        switch phase {
        case .websocket(let main) where same(main, socket):
            var closing = close(reason)!
            closing.webSocket = nil  // it is gone already
            return closing
        case .polling(let held, let posting, .probing(let probe, _)) where same(probe, socket),
             .polling(let held, let posting, .probed(let probe, _)) where same(probe, socket):
            phase = .polling(heldPoll: held, postInProgress: posting, upgrade: .none)
            return nil
        default:
            return nil
        }
    }
}
