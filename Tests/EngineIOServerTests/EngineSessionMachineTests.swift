@testable import EngineIOServer
import EngineIOProtocol
import NIOCore
import Testing

/// The server session's lifecycle, transition by transition, on a fake clock: no sockets, no sleeps.
@Suite("Engine.IO session state machine")
struct EngineSessionMachineTests {
    final class Poll {}
    final class Socket {}
    typealias Machine = EngineSessionMachine<Poll, Socket>

    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static func at(_ milliseconds: Int64) -> NIODeadline { t0 + .milliseconds(milliseconds) }
    static let timing = Machine.Timing(pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200),
                                       upgradeTimeout: .milliseconds(1_000))

    static func polling(allowUpgrades: Bool = true) -> Machine {
        Machine(transport: .polling, webSocket: nil, timing: timing, allowUpgrades: allowUpgrades, now: t0)
    }

    // MARK: Heartbeat

    @Test("ping when due, pong moves the next ping, no pong by the deadline closes with ping timeout")
    func heartbeat() {
        var machine = Self.polling()
        #expect(machine.heartbeat == .pingDue(Self.at(300)))
        #expect(machine.heartbeatTimerFired(now: Self.at(300)).0 == .sendPing(checkAgainIn: .milliseconds(200)))
        #expect(machine.heartbeat == .awaitingPong(Self.at(500)))
        guard case .pingIn(.milliseconds(300)) = machine.packetReceived(.pong, now: Self.at(350)) else {
            Issue.record("pong not taken"); return
        }
        #expect(machine.heartbeat == .pingDue(Self.at(650)))
        // The pong deadline's timer runs late and finds a ping not yet due: it says when to look again.
        #expect(machine.heartbeatTimerFired(now: Self.at(500)).0 == .checkAgainIn(.milliseconds(150)))
        #expect(machine.heartbeatTimerFired(now: Self.at(650)).0 == .sendPing(checkAgainIn: .milliseconds(200)))
        let (action, closing) = machine.heartbeatTimerFired(now: Self.at(850))
        #expect(action == .close)
        #expect(closing?.reason == .pingTimeout)
        #expect(machine.closeReason == .pingTimeout)
        #expect(machine.heartbeatTimerFired(now: Self.at(2_000)).0 == Machine.HeartbeatAction.none)
    }

    @Test("the pong deadline counts from when the ping was due, not from a late timer")
    func lateTimer() {
        var machine = Self.polling()
        _ = machine.heartbeatTimerFired(now: Self.at(305))
        #expect(machine.heartbeat == .awaitingPong(Self.at(500)))
    }

    @Test("a request after the pong deadline finds the session gone, even before the timer runs",
          arguments: ["GET", "POST", "packet"])
    func overdueRequest(_ kind: String) {
        var machine = Self.polling()
        _ = machine.heartbeatTimerFired(now: Self.at(300))
        switch kind {
        case "GET":
            guard case .refuse(let closing?) = machine.pollArrived(Poll(), now: Self.at(500)) else { Issue.record("not refused"); return }
            #expect(closing.reason == .pingTimeout)
        case "POST":
            guard case .refuse(let closing?) = machine.postArrived(now: Self.at(500)) else { Issue.record("not refused"); return }
            #expect(closing.reason == .pingTimeout)
        default:
            guard case .close(let closing) = machine.packetReceived(.pong, now: Self.at(501)) else { Issue.record("not closed"); return }
            #expect(closing.reason == .pingTimeout)
        }
        #expect(machine.closeReason == .pingTimeout)
    }

    @Test("a GET just before the deadline is still held")
    func requestInTime() {
        var machine = Self.polling()
        _ = machine.heartbeatTimerFired(now: Self.at(300))
        guard case .hold = machine.pollArrived(Poll(), now: Self.at(499)) else { Issue.record("not held"); return }
        #expect(!machine.isClosed)
    }

    // MARK: The server's close

    @Test("closed by the server with no poll held: the next GET within pingTimeout takes the close, then 400")
    func farewell() {
        var machine = Self.polling()
        let closing = machine.closeTellingClient(.forcedClose, now: Self.at(100))
        #expect(closing?.awaitsFarewellPoll == true)
        #expect(closing?.heldPoll == nil)
        #expect(machine.isClosed)
        #expect(machine.closeReason == .forcedClose)
        // Ended for everything else: a POST is taken but its packets ignored (a pong may cross the
        // close), no upgrade, no heartbeat, no second close.
        guard case .accept = machine.postArrived(now: Self.at(110)) else { Issue.record("POST not taken"); return }
        machine.postEnded()
        guard case .ignore = machine.packetReceived(.message, now: Self.at(110)) else { Issue.record("packet not ignored"); return }
        guard case .closeIt = machine.webSocketJoined(Socket(), now: Self.at(110)) else { Issue.record("upgrade not refused"); return }
        #expect(machine.heartbeatTimerFired(now: Self.at(300)).0 == Machine.HeartbeatAction.none)
        #expect(machine.close(.transportError) == nil)
        #expect(machine.farewellExpired(now: Self.at(299)) == false)
        guard case .answerFarewell = machine.pollArrived(Poll(), now: Self.at(299)) else { Issue.record("no farewell"); return }
        guard case .refuse(nil) = machine.pollArrived(Poll(), now: Self.at(310)) else { Issue.record("second GET not refused"); return }
        guard case .refuse(nil) = machine.postArrived(now: Self.at(310)) else { Issue.record("POST after the farewell not refused"); return }
        #expect(machine.farewellExpired(now: Self.at(1_000)) == false)   // already forgotten
        #expect(machine.closeReason == .forcedClose)
    }

    @Test("a farewell nobody fetches expires after pingTimeout, once; a GET after that is refused")
    func farewellExpires() {
        var machine = Self.polling()
        _ = machine.closeTellingClient(.serverShuttingDown, now: Self.at(0))
        #expect(machine.farewellExpired(now: Self.at(199)) == false)
        #expect(machine.farewellExpired(now: Self.at(200)) == true)
        #expect(machine.farewellExpired(now: Self.at(201)) == false)
        guard case .refuse(nil) = machine.pollArrived(Poll(), now: Self.at(210)) else { Issue.record("late GET not refused"); return }
        #expect(machine.closeReason == .serverShuttingDown)
    }

    @Test("closed by the server with a poll held or on WebSocket: an ordinary close; mid-probe: the probe closed, a farewell",
          arguments: ["held", "probing", "websocket"])
    func closeWithoutFarewell(_ state: String) {
        var machine = state == "websocket"
            ? Machine(transport: .websocket, webSocket: Socket(), timing: Self.timing, allowUpgrades: true, now: Self.t0)
            : Self.polling()
        let poll = Poll()
        if state == "held" { _ = machine.pollArrived(poll, now: Self.at(10)) }
        if state == "probing" { _ = machine.webSocketJoined(Socket(), now: Self.at(10)) }
        let closing = machine.closeTellingClient(.forcedClose, now: Self.at(20))
        #expect(closing?.awaitsFarewellPoll == (state == "probing"))
        #expect((closing?.heldPoll).map { $0 === poll } ?? false == (state == "held"))
        #expect((closing?.probe != nil) == (state == "probing"))
        #expect((closing?.webSocket != nil) == (state == "websocket"))
        switch machine.pollArrived(Poll(), now: Self.at(30)) {
        case .answerFarewell: #expect(state == "probing")
        case .refuse(nil): #expect(state != "probing")
        default: Issue.record("GET after the close: neither farewell nor refused")
        }
    }

    // MARK: Polling

    @Test("one GET is held; a second at once ends the session, the first one answered with close")
    func pollOverlap() {
        var machine = Self.polling()
        let first = Poll()
        guard case .hold = machine.pollArrived(first, now: Self.t0) else { Issue.record("not held"); return }
        #expect(machine.heldPoll === first)
        guard case .refuseOverlap(let closing) = machine.pollArrived(Poll(), now: Self.t0) else { Issue.record("overlap taken"); return }
        #expect(closing.reason == .transportError)
        #expect(closing.heldPoll === first)
        #expect(!closing.answerHeldPollWithNoop)
        guard case .refuse(nil) = machine.pollArrived(Poll(), now: Self.t0) else { Issue.record("closed session served"); return }
    }

    @Test("answering the held GET frees the slot for the next one")
    func takeHeldPoll() {
        var machine = Self.polling()
        let first = Poll()
        _ = machine.pollArrived(first, now: Self.t0)
        #expect(machine.takeHeldPoll() === first)
        #expect(machine.takeHeldPoll() == nil)
        guard case .hold = machine.pollArrived(Poll(), now: Self.t0) else { Issue.record("not held"); return }
    }

    @Test("a held GET whose connection goes ends the session, unless an upgrade is under way")
    func pollLost() {
        var machine = Self.polling()
        let poll = Poll()
        _ = machine.pollArrived(poll, now: Self.t0)
        #expect(machine.pollConnectionLost(Poll()) == nil, "not the held one")
        #expect(machine.pollConnectionLost(poll)?.reason == .transportError)

        var upgrading = Self.polling()
        let held = Poll()
        _ = upgrading.pollArrived(held, now: Self.t0)
        _ = upgrading.webSocketJoined(Socket(), now: Self.t0)
        #expect(upgrading.pollConnectionLost(held) == nil)
        #expect(!upgrading.isClosed)
        #expect(upgrading.heldPoll == nil)
    }

    @Test("one POST at a time: a second while one is read ends the session")
    func postOverlap() {
        var machine = Self.polling()
        guard case .accept = machine.postArrived(now: Self.t0) else { Issue.record("refused"); return }
        machine.postEnded()
        guard case .accept = machine.postArrived(now: Self.t0) else { Issue.record("slot not freed"); return }
        guard case .refuseOverlap(let closing) = machine.postArrived(now: Self.t0) else { Issue.record("overlap taken"); return }
        #expect(closing.reason == .transportError)
    }

    // MARK: Packets

    @Test("each packet type from the client", arguments: [
        (EnginePacketType.message, "deliver", nil),
        (.pong, "ignore", nil),  // not awaited: no ping was sent
        (.open, "ignore", nil),
        (.noop, "ignore", nil),
        (.upgrade, "ignore", nil),
        (.close, "close", EngineCloseReason.transportClose),
        (.ping, "close", .transportError),
    ] as [(EnginePacketType, String, EngineCloseReason?)])
    func packets(_ type: EnginePacketType, _ expected: String, _ reason: EngineCloseReason?) {
        var machine = Self.polling()
        switch machine.packetReceived(type, now: Self.t0) {
        case .deliver: #expect(expected == "deliver")
        case .ignore: #expect(expected == "ignore")
        case .pingIn: #expect(expected == "pingIn")
        case .close(let closing):
            #expect(expected == "close")
            #expect(closing.reason == reason)
        }
        #expect(machine.isClosed == (reason != nil))
    }

    @Test("the client's close answers the held GET with a noop, not a close")
    func clientCloseWithHeldPoll() {
        var machine = Self.polling()
        let held = Poll()
        _ = machine.pollArrived(held, now: Self.t0)
        guard case .close(let closing) = machine.packetReceived(.close, now: Self.t0) else { Issue.record("not closed"); return }
        #expect(closing.heldPoll === held)
        #expect(closing.answerHeldPollWithNoop)
    }

    @Test("closing twice does nothing the second time")
    func closeOnce() {
        var machine = Self.polling()
        #expect(machine.close(.forcedClose)?.reason == .forcedClose)
        #expect(machine.close(.transportError) == nil)
        #expect(machine.closeReason == .forcedClose)
    }

    // MARK: Upgrade

    @Test("probe, 3probe with the held GET released, noops while probed, 5, then polling and more sockets refused")
    func upgrade() {
        var machine = Self.polling()
        let held = Poll()
        _ = machine.pollArrived(held, now: Self.t0)
        let probe = Socket()
        guard case .probe(let timeout) = machine.webSocketJoined(probe, now: Self.t0) else { Issue.record("no probe"); return }
        #expect(timeout == .milliseconds(1_000))
        guard case .closeIt = machine.webSocketJoined(Socket(), now: Self.t0) else { Issue.record("second probe kept"); return }
        guard case .ignore = machine.probeFrame(.ping, isProbe: true, on: Socket(), now: Self.t0) else {
            Issue.record("a frame from another socket taken"); return
        }
        guard case .answerProbe(let released) = machine.probeFrame(.ping, isProbe: true, on: probe, now: Self.t0) else {
            Issue.record("probe not answered"); return
        }
        #expect(released === held)
        guard case .answerNoop = machine.pollArrived(Poll(), now: Self.t0) else { Issue.record("poll not released"); return }
        guard case .promote(nil) = machine.probeFrame(.upgrade, isProbe: false, on: probe, now: Self.t0) else {
            Issue.record("not promoted"); return
        }
        #expect(machine.transport == .websocket)
        #expect(machine.webSocket === probe)
        guard case .refuse(nil) = machine.pollArrived(Poll(), now: Self.t0) else { Issue.record("poll after upgrade"); return }
        guard case .refuse(nil) = machine.postArrived(now: Self.t0) else { Issue.record("post after upgrade"); return }
        guard case .closeIt = machine.webSocketJoined(Socket(), now: Self.t0) else { Issue.record("socket after upgrade kept"); return }
        #expect(!machine.isClosed)
    }

    @Test("anything but 2probe or 5 on the probe fails it; polling goes on and may try again")
    func failedProbe() {
        var machine = Self.polling()
        let probe = Socket()
        _ = machine.webSocketJoined(probe, now: Self.t0)
        guard case .failProbe = machine.probeFrame(.message, isProbe: false, on: probe, now: Self.t0) else {
            Issue.record("probe kept"); return
        }
        #expect(machine.probeSocket == nil)
        #expect(machine.transport == .polling)
        guard case .probe = machine.webSocketJoined(Socket(), now: Self.t0) else { Issue.record("no second try"); return }
    }

    @Test("a probe that does not finish within the upgrade timeout is dropped")
    func upgradeTimeout() {
        var machine = Self.polling()
        let probe = Socket()
        _ = machine.webSocketJoined(probe, now: Self.t0)
        _ = machine.probeFrame(.ping, isProbe: true, on: probe, now: Self.t0)
        #expect(machine.upgradeTimerFired(now: Self.at(999)) == nil)
        #expect(machine.upgradeTimerFired(now: Self.at(1_000)) === probe)
        #expect(machine.probeSocket == nil)
        guard case .hold = machine.pollArrived(Poll(), now: Self.at(1_000)) else { Issue.record("polling not back"); return }
    }

    @Test("the probe closing gives polling back; the upgraded socket closing ends the session")
    func socketsClosing() {
        var machine = Self.polling()
        let probe = Socket()
        _ = machine.webSocketJoined(probe, now: Self.t0)
        #expect(machine.webSocketClosed(probe, reason: .transportClose) == nil)
        #expect(machine.probeSocket == nil)
        let second = Socket()
        _ = machine.webSocketJoined(second, now: Self.t0)
        _ = machine.probeFrame(.upgrade, isProbe: false, on: second, now: Self.t0)
        #expect(machine.webSocketClosed(Socket(), reason: .transportClose) == nil, "not the session's socket")
        let closing = machine.webSocketClosed(second, reason: .parseError)
        #expect(closing?.reason == .parseError)
        #expect(closing?.webSocket == nil, "already gone: nothing to close")
    }

    @Test("no upgrade where upgrades are off, and a WebSocket-only session takes no polling")
    func noUpgrade() {
        var machine = Self.polling(allowUpgrades: false)
        guard case .closeIt = machine.webSocketJoined(Socket(), now: Self.t0) else { Issue.record("probe taken"); return }
        let socket = Socket()
        var webSocketOnly = Machine(transport: .websocket, webSocket: socket, timing: Self.timing, allowUpgrades: true, now: Self.t0)
        #expect(webSocketOnly.transport == .websocket)
        guard case .refuse(nil) = webSocketOnly.pollArrived(Poll(), now: Self.t0) else { Issue.record("poll taken"); return }
        guard case .closeIt = webSocketOnly.webSocketJoined(Socket(), now: Self.t0) else { Issue.record("second socket kept"); return }
        let closing = webSocketOnly.close(.forcedClose)
        #expect(closing?.webSocket === socket)
    }
}
