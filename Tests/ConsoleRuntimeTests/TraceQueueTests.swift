import ConsoleModel
import ConsoleRuntime
import ConsoleTestSupport
import SocketIOTrace
import Testing

@Suite struct TraceQueueTests {
    @Test("bounded: the newest events are kept, in order; the oldest give way a batch at a time, counted")
    func boundedKeepsTheNewest() {
        let queue = TraceQueue(capacity: 3)
        for n in 0..<5 { queue.record(Fixtures.ping(sid: "s\(n)")) }
        let first = queue.drain()
        #expect(first.events.map(Self.sid) == ["s3", "s4"])
        #expect(first.dropped == 3)
        queue.record(Fixtures.ping())
        let second = queue.drain()
        #expect(second.events.count == 1)
        #expect(second.dropped == 3, "the drop count is a running total")
        // Past capacity twice without a drain: still bounded, still the newest.
        for n in 0..<8 { queue.record(Fixtures.ping(sid: "u\(n)")) }
        let third = queue.drain()
        #expect(third.events.map(Self.sid) == ["u6", "u7"])
        #expect(third.dropped == 9)
        // Under capacity nothing is dropped and the order is kept.
        for n in 0..<2 { queue.record(Fixtures.ping(sid: "t\(n)")) }
        #expect(queue.drain().events.map(Self.sid) == ["t0", "t1"])
    }

    static func sid(_ event: TraceEvent) -> String {
        if case .enginePacket(_, let sid, _, _, _) = event { return sid }
        return "?"
    }
}
