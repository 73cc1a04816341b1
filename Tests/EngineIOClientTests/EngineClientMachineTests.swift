@testable import EngineIOClient
import NIOCore
import Testing

/// The client connection's lifecycle, transition by transition, on a fake clock: no sockets, no sleeps.
@Suite("Engine.IO client state machine")
struct EngineClientMachineTests {
    final class Socket {}
    typealias Machine = EngineClientMachine<Socket>

    static let t0 = NIODeadline.uptimeNanoseconds(5_000_000_000)
    static func at(_ milliseconds: Int64) -> NIODeadline { t0 + .milliseconds(milliseconds) }

    static func openOnPolling() -> Machine {
        var machine = Machine()
        #expect(machine.connectStarted() == true)
        #expect(machine.opened(on: nil, pingInterval: 300, pingTimeout: 200, now: t0) == true)
        return machine
    }

    @Test("connect once; open on polling or on a WebSocket; a second connect is refused")
    func connecting() {
        var machine = Machine()
        #expect(!machine.isOpen && !machine.isConnecting)
        #expect(machine.connectStarted() == true)
        #expect(machine.connectStarted() == false)
        #expect(machine.isConnecting)
        let socket = Socket()
        #expect(machine.opened(on: socket, pingInterval: 300, pingTimeout: 200, now: Self.t0) == true)
        #expect(machine.transport == .websocket)
        #expect(machine.isWebSocket(socket))
        #expect(machine.opened(on: nil, pingInterval: 1, pingTimeout: 1, now: Self.t0) == false, "opened twice")
    }

    @Test("the connect deadline ends a connection still connecting, and only that")
    func connectDeadline() {
        var connecting = Machine()
        _ = connecting.connectStarted()
        #expect(connecting.connectDeadlinePassed() == true)
        #expect(connecting.connectTimedOut)
        #expect(connecting.isClosed)
        #expect(connecting.opened(on: nil, pingInterval: 300, pingTimeout: 200, now: Self.t0) == false, "opened after giving up")

        var open = Self.openOnPolling()
        #expect(open.connectDeadlinePassed() == false)
        #expect(!open.connectTimedOut)
        #expect(open.isOpen)
    }

    @Test("one GET and one POST at a time; a failed request ends the connection")
    func polling() {
        var machine = Self.openOnPolling()
        #expect(machine.startPoll() == true)
        #expect(machine.startPoll() == false)
        #expect(machine.startPost() == true)
        #expect(machine.startPost() == false)
        #expect(machine.pollingBusy, "a POST waits for its answer")
        guard case .next = machine.postFinished(succeeded: true) else { Issue.record("post"); return }
        #expect(!machine.pollingBusy)
        #expect(machine.pollingQuiet)
        guard case .next = machine.pollFinished(succeeded: true) else { Issue.record("poll"); return }
        #expect(machine.startPoll() == true)
        guard case .close(.transportError) = machine.pollFinished(succeeded: false) else { Issue.record("failure kept"); return }
        #expect(machine.isClosed)
        #expect(machine.startPoll() == false)
        guard case .ignore = machine.postFinished(succeeded: true) else { Issue.record("late answer taken"); return }
    }

    @Test("probe, 3probe while a GET is in flight: paused until it returns, then the switch")
    func upgradeWaitsForPoll() {
        var machine = Self.openOnPolling()
        #expect(machine.startPoll() == true)
        let probe = Socket()
        #expect(machine.probeConnected(probe) == true)
        #expect(machine.probeConnected(Socket()) == false, "one probe at a time")
        guard case .ignore = machine.probeAnswered(on: Socket()) else { Issue.record("another socket's answer"); return }
        guard case .wait = machine.probeAnswered(on: probe) else { Issue.record("switched with a GET in flight"); return }
        #expect(machine.pollingBusy)
        #expect(!machine.pollingQuiet)
        #expect(machine.startPoll() == false, "no new GET while paused")
        #expect(machine.startPost() == false, "no new POST while paused")
        guard case .upgrade(let socket) = machine.pollFinished(succeeded: true) else { Issue.record("no switch"); return }
        #expect(socket === probe)
        #expect(machine.transport == .websocket)
        #expect(machine.isWebSocket(probe))
        #expect(machine.probe == nil)
    }

    @Test("3probe with nothing in flight switches at once; a POST in flight delays it")
    func upgradeNow() {
        var quiet = Self.openOnPolling()
        let probe = Socket()
        _ = quiet.probeConnected(probe)
        guard case .upgrade = quiet.probeAnswered(on: probe) else { Issue.record("no switch"); return }

        var posting = Self.openOnPolling()
        #expect(posting.startPost() == true)
        let second = Socket()
        _ = posting.probeConnected(second)
        guard case .wait = posting.probeAnswered(on: second) else { Issue.record("switched with a POST in flight"); return }
        guard case .upgrade = posting.postFinished(succeeded: true) else { Issue.record("no switch after the POST"); return }
    }

    @Test("a probe that closes gives polling back, resuming it when it was paused")
    func probeEnds() {
        var machine = Self.openOnPolling()
        let probe = Socket()
        _ = machine.probeConnected(probe)
        guard case .probeEnded(wasPaused: false) = machine.webSocketClosed(probe) else { Issue.record("probe"); return }
        let again = Socket()
        #expect(machine.probeConnected(again) == true, "a later probe may try")
        #expect(machine.startPoll() == true)
        guard case .wait = machine.probeAnswered(on: again) else { Issue.record("answer"); return }
        #expect(machine.probeEnded(again) == true, "was paused: polling resumes")
        guard case .next = machine.pollFinished(succeeded: true) else { Issue.record("polling not back"); return }
        #expect(machine.transport == .polling)
        #expect(machine.isOpen)
    }

    @Test("the connection's WebSocket closing ends it; another socket closing does not")
    func webSocketCloses() {
        var machine = Machine()
        _ = machine.connectStarted()
        let socket = Socket()
        _ = machine.opened(on: socket, pingInterval: 300, pingTimeout: 200, now: Self.t0)
        guard case .ignore = machine.webSocketClosed(Socket()) else { Issue.record("other socket"); return }
        guard case .connectionClosed = machine.webSocketClosed(socket) else { Issue.record("own socket"); return }
        #expect(machine.isClosed)
    }

    @Test("the watchdog: a ping moves the deadline; silence past interval + timeout closes with ping timeout")
    func watchdog() {
        var machine = Self.openOnPolling()
        #expect(machine.watchdogDeadline == Self.at(500))
        machine.pingReceived(now: Self.at(300))
        #expect(machine.watchdogFired(now: Self.at(500)) == .checkAt(Self.at(800)))
        #expect(machine.watchdogFired(now: Self.at(800)) == .close)
        #expect(machine.isClosed)
        #expect(machine.watchdogFired(now: Self.at(900)) == Machine.WatchdogAction.none)
    }

    @Test("closing once; a probe open at the close is handed over to be closed")
    func closing() {
        var machine = Self.openOnPolling()
        let probe = Socket()
        _ = machine.probeConnected(probe)
        #expect(machine.close(.clientClose) == true)
        #expect(machine.close(.transportError) == false)
        #expect(machine.takeOrphanedProbe() === probe)
        #expect(machine.takeOrphanedProbe() == nil)
    }
}
