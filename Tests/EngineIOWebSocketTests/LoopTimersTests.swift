@testable import EngineIOWebSocket
import NIOCore
import NIOEmbedded
import Testing

@Suite("timers shared by a loop's connections")
struct LoopTimersTests {
    /// Actions record their names here; everything runs on the embedded loop's thread.
    private final class Log {
        var fired: [String] = []
    }

    // A fresh loop, log and set of timers for every test (Swift Testing makes an instance per test).
    private let loop = EmbeddedEventLoop()
    private let log = Log()
    private let timers: LoopTimers

    init() {
        timers = LoopTimers(loop: loop)
    }

    @Test("a timer fires once its delay has passed, within the slack, never before")
    func firesAfterDelay() {
        let loop = EmbeddedEventLoop()
        let log = Log()
        // 640 ms: a slack of 10 ms (a 64th of the delay).
        let timer = LoopTimers(loop: loop).schedule(in: .milliseconds(640)) { log.fired.append("a") }
        #expect(timer.isPending)
        loop.advanceTime(by: .milliseconds(640) - .nanoseconds(1))
        #expect(log.fired.isEmpty)
        loop.advanceTime(by: .nanoseconds(1))   // due, and waiting out the slack for others
        #expect(log.fired.isEmpty)
        loop.advanceTime(by: .milliseconds(10))
        #expect(log.fired == ["a"])
        #expect(!timer.isPending)
        loop.advanceTime(by: .seconds(5))
        #expect(log.fired == ["a"])
    }

    @Test("a cancelled timer does not fire, and cancelling twice or after firing changes nothing")
    func cancel() {
        let a = timers.schedule(in: .milliseconds(100)) { log.fired.append("a") }
        let b = timers.schedule(in: .milliseconds(100)) { log.fired.append("b") }
        a.cancel()
        a.cancel()
        #expect(!a.isPending && b.isPending)
        loop.advanceTime(by: .milliseconds(200))
        #expect(log.fired == ["b"])
        b.cancel()
        #expect(log.fired == ["b"])
        #expect(timers.heldCount == 0)
    }

    @Test("timers of one duration fire in the order they were set; close ones fire together")
    func orderAndBatching() {
        // 6.4 s: a slack of 100 ms would be more than the 10 ms cap, so 10 ms.
        timers.schedule(in: .milliseconds(6_400)) { log.fired.append("1") }
        loop.advanceTime(by: .milliseconds(4))
        timers.schedule(in: .milliseconds(6_400)) { log.fired.append("2") }
        loop.advanceTime(by: .milliseconds(4))
        timers.schedule(in: .milliseconds(6_400)) { log.fired.append("3") }
        loop.advanceTime(by: .milliseconds(20))
        timers.schedule(in: .milliseconds(6_400)) { log.fired.append("4") }
        // Now 28 ms after the first was set. The first falls due at 6,400 ms and is run at 6,410 ms
        // with the two set 4 and 8 ms after it; the fourth is due at 6,428 ms, after that wake-up.
        loop.advanceTime(by: .milliseconds(6_400 - 28 + 10))
        #expect(log.fired == ["1", "2", "3"])
        loop.advanceTime(by: .milliseconds(18 - 1))
        #expect(log.fired == ["1", "2", "3"])
        loop.advanceTime(by: .milliseconds(1 + 10))
        #expect(log.fired == ["1", "2", "3", "4"])
    }

    @Test("durations keep separate queues: a short timer set after a long one fires first")
    func durationsIndependent() {
        timers.schedule(in: .seconds(2)) { log.fired.append("long") }
        timers.schedule(in: .milliseconds(500)) { log.fired.append("short") }
        timers.schedule(in: .zero) { log.fired.append("now") }
        loop.run()
        #expect(log.fired == ["now"])
        loop.advanceTime(by: .milliseconds(600))
        #expect(log.fired == ["now", "short"])
        loop.advanceTime(by: .seconds(2))
        #expect(log.fired == ["now", "short", "long"])
    }

    @Test("an action may set the next timer of its own duration, as a heartbeat does")
    func rescheduleFromAction() {
        func beat(_ n: Int) {
            timers.schedule(in: .milliseconds(64)) {
                log.fired.append("beat \(n)")
                if n < 3 { beat(n + 1) }
            }
        }
        beat(1)
        for _ in 0..<3 { loop.advanceTime(by: .milliseconds(65)) }
        #expect(log.fired == ["beat 1", "beat 2", "beat 3"])
        loop.advanceTime(by: .seconds(1))
        #expect(log.fired.count == 3)
        #expect(timers.heldCount == 0)
    }

    @Test("timers set and cancelled faster than they fall due do not pile up")
    func cancelledAreDropped() {
        var kept: [LoopTimer] = []
        for i in 0..<10_000 {
            let timer = timers.schedule(in: .seconds(30)) { log.fired.append("\(i)") }
            if i % 1_000 == 0 { kept.append(timer) } else { timer.cancel() }
        }
        #expect(timers.heldCount < 200)
        loop.advanceTime(by: .seconds(31))
        #expect(log.fired == (0..<10).map { "\($0 * 1_000)" })
        #expect(kept.allSatisfy { !$0.isPending })
    }

    @Test("a table keeps one set of timers per loop")
    func perLoop() {
        let first = EmbeddedEventLoop()
        let second = EmbeddedEventLoop()
        let table = LoopTimersTable()
        #expect(table.timers(for: first) === table.timers(for: first))
        #expect(table.timers(for: first) !== table.timers(for: second))
        #expect(LoopTimersTable().timers(for: first) !== table.timers(for: first))
    }
}
