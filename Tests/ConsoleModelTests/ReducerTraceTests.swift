import ConsoleModel
import ConsoleTestSupport
import Testing

@Suite struct ReducerTraceTests {
    @Test func packetsBecomeRecordsAndDecisionsGoToTheirPane() {
        var state = Fixtures.state()
        let effects = Reducer.reduce(&state, .trace([Fixtures.ping(), Fixtures.event("chat", ["hi"]), Fixtures.decision(.allow)], time: 5))
        #expect(effects.isEmpty)
        #expect(state.packets.count == 2)
        #expect(state.decisions.count == 1)
        let chat = state.packets[1]
        #expect(chat.layer == .socket && chat.type == "EVENT" && chat.eventName == "chat" && chat.summary == "\"hi\"")
        #expect(chat.namespace == "/" && chat.direction == .inbound && chat.time == 5)
        #expect(state.packets[0].layer == .engine && state.packets[0].type == "ping")
        #expect(state.selectedPacketSeq == chat.seq, "follow selects the newest")
    }

    @Test func acksAreLinkedToTheirEmits() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace([Fixtures.event("delete", [7], id: 3),
                                           Fixtures.ack(["ok"], id: 3, direction: .inbound),   // same direction: not the answer
                                           Fixtures.ack(["ok"], id: 3, direction: .outbound)], time: 1))
        let emit = state.packets[0], wrong = state.packets[1], answer = state.packets[2]
        #expect(state.linkedSeq(of: emit) == answer.seq)
        #expect(state.linkedSeq(of: answer) == emit.seq)
        #expect(state.linkedSeq(of: wrong) == nil)
    }

    @Test func pausedCaptureCountsInsteadOfKeeping() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .togglePause)
        _ = Reducer.reduce(&state, .trace([Fixtures.ping(), Fixtures.ping(), Fixtures.decision(.allow)], time: 1))
        #expect(state.packets.count == 0)
        #expect(state.pausedSkipped == 2)
        #expect(state.decisions.count == 1, "decisions are kept while paused: they are rare and matter")
        _ = Reducer.reduce(&state, .togglePause)
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 2))
        #expect(state.packets.count == 1)
    }

    @Test func theRingBufferBoundsMemoryAndCountsDrops() {
        var state = Fixtures.state(capacity: 3)
        _ = Reducer.reduce(&state, .toggleFollow)   // off: hold the selection
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 1))
        state.selectedPacketSeq = state.packets[0].seq
        _ = Reducer.reduce(&state, .trace((0..<5).map { _ in Fixtures.ping() }, time: 2))
        #expect(state.packets.count == 3)
        #expect(state.packets.dropped == 3)
        #expect(state.selectedPacketSeq == state.packets[0].seq, "a selection that fell out moves to the oldest kept")
    }

    @Test func byteBudgetDropsOldRecords() {
        var ring = RingBuffer<Int>(capacity: 100, byteBudget: 1_000)
        for i in 0..<10 { ring.append(i, bytes: 300) }
        #expect(ring.count == 3)
        #expect(ring.bytes == 900)
        #expect(ring.elements == [7, 8, 9])
        #expect(ring.dropped == 7)
    }

    @Test func queueDropsAndTheRateAreShown() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .queueDropped(total: 12))
        #expect(state.queueDropped == 12)
        _ = Reducer.reduce(&state, .tick(now: 100))
        _ = Reducer.reduce(&state, .trace((0..<30).map { _ in Fixtures.ping() }, time: 100.5))
        _ = Reducer.reduce(&state, .tick(now: 102))
        #expect(state.packetRate == 15)
    }

    @Test func lifecycleEventsAreRowsToo() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace([
            .engineOpened(side: .server, sid: "s1", transport: .polling, remoteAddress: "127.0.0.1:5"),
            .engineUpgraded(side: .server, sid: "s1"),
            .socketDisconnected(side: .server, namespace: "/", socketID: "AAAA", reason: "transport close"),
            .engineRefused(side: .server, status: 400, code: 1, message: "Session ID unknown", remoteAddress: nil),
        ], time: 1))
        #expect(state.packets.elements.map(\.type) == ["open", "upgraded", "disconnected", "refused"])
        #expect(state.packets[3].isError)
        #expect(state.packets[2].summary == "socket AAAA left /: transport close")
    }

    @Test func snapshotsReplaceTheTablesAndKeepSelectionsInRange() {
        var state = Fixtures.state()
        state.selection[.sockets] = 3
        _ = Reducer.reduce(&state, .snapshot(ConsoleSnapshot(namespaces: Fixtures.snapshot.namespaces, sockets: [])))
        #expect(state.selection[.sockets] == 0)
        #expect(state.namespaceRows.map(\.name) == ["/", "/admin", "/ws-42"], "no parents: the child is listed plainly")
    }

    @Test func reportsGoToTheStatusLine() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .report(StatusMessage("boom", isError: true)))
        #expect(state.status == StatusMessage("boom", isError: true))
    }
}
