@testable import SocketIOClient
import Testing

/// Reconnection's decisions, step by step: no sockets, no sleeps (the delays are returned, not waited).
@Suite("Reconnection state machine")
struct ReconnectionMachineTests {
    static let options = ReconnectionOptions(attempts: 3, delayMilliseconds: 100, maxDelayMilliseconds: 300, randomizationFactor: 0)

    @Test("lost: wait, attempt, fail, wait longer (capped), succeed, rejoin")
    func backoffThenSuccess() {
        var machine = ReconnectionMachine(options: Self.options)
        #expect(machine.connectionLost(random: 0) == .wait(milliseconds: 100))
        #expect(machine.phase == .waiting(attempt: 1))
        #expect(machine.connectionLost(random: 0) == ReconnectionMachine.Action.none, "already reconnecting")
        #expect(machine.delayElapsed() == .attempt(1))
        #expect(machine.attemptFailed(random: 0) == .wait(milliseconds: 200))
        #expect(machine.delayElapsed() == .attempt(2))
        #expect(machine.attemptFailed(random: 0) == .wait(milliseconds: 300), "400 capped at 300")
        #expect(machine.delayElapsed() == .attempt(3))
        #expect(machine.attemptSucceeded() == .rejoin(afterAttempts: 3))
        #expect(machine.phase == .connected)
        #expect(machine.connectionLost(random: 0) == .wait(milliseconds: 100), "a later loss starts again from 1")
    }

    @Test("every attempt fails: it gives up after `attempts`, and opening again rearms it")
    func giveUp() {
        var machine = ReconnectionMachine(options: Self.options)
        _ = machine.connectionLost(random: 0)
        for attempt in 1...3 {
            #expect(machine.delayElapsed() == .attempt(attempt))
            let next = machine.attemptFailed(random: 0)
            #expect(next == (attempt == 3 ? .giveUp : .wait(milliseconds: min(100 << attempt, 300))))
        }
        #expect(machine.phase == .gaveUp)
        #expect(machine.connectionLost(random: 0) == ReconnectionMachine.Action.none)
        machine.opened()
        #expect(machine.phase == .connected)
    }

    @Test("closed on purpose: a wait under way ends, an attempt's outcome is ignored, losses do nothing")
    func closedOnPurpose() {
        var waiting = ReconnectionMachine(options: Self.options)
        _ = waiting.connectionLost(random: 0)
        waiting.closedOnPurpose()
        #expect(waiting.delayElapsed() == ReconnectionMachine.Action.none)
        #expect(waiting.connectionLost(random: 0) == ReconnectionMachine.Action.none)

        var attempting = ReconnectionMachine(options: Self.options)
        _ = attempting.connectionLost(random: 0)
        _ = attempting.delayElapsed()
        attempting.closedOnPurpose()
        #expect(attempting.attemptSucceeded() == ReconnectionMachine.Action.none)
        #expect(attempting.attemptFailed(random: 0) == ReconnectionMachine.Action.none)
        attempting.opened()
        #expect(attempting.connectionLost(random: 0) == .wait(milliseconds: 100))
    }

    @Test("disabled: a lost connection stays lost")
    func disabled() {
        var machine = ReconnectionMachine(options: ReconnectionOptions(enabled: false))
        #expect(machine.connectionLost(random: 0.5) == ReconnectionMachine.Action.none)
        #expect(machine.phase == .connected)
    }

    @Test("the jitter stays within the randomization factor", arguments: [0.0, 0.25, 0.5, 0.99])
    func jitter(_ random: Double) {
        var machine = ReconnectionMachine(options: ReconnectionOptions(delayMilliseconds: 1_000, maxDelayMilliseconds: 5_000,
                                                                        randomizationFactor: 0.5))
        guard case .wait(let delay) = machine.connectionLost(random: random) else { Issue.record("no wait"); return }
        #expect((500...1_500).contains(delay), "\(delay)")
    }
}
