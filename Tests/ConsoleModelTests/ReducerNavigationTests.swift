import ConsoleModel
import ConsoleTestSupport
import Testing

@Suite struct ReducerNavigationTests {
    @Test func focusCyclesAndJumps() {
        var state = Fixtures.state()
        #expect(state.focus == .packets)
        _ = Reducer.reduce(&state, .focusNext)
        #expect(state.focus == .detail)
        _ = Reducer.reduce(&state, .focusNext)
        _ = Reducer.reduce(&state, .focusNext)
        #expect(state.focus == .namespaces, "wraps around")
        _ = Reducer.reduce(&state, .focusPrevious)
        #expect(state.focus == .middleware)
        _ = Reducer.reduce(&state, .focus(.sockets))
        #expect(state.focus == .sockets)
    }

    @Test func namespaceRowsListParentsWithTheirChildren() {
        let state = Fixtures.state()
        #expect(state.namespaceRows.map(\.name) == ["/", "/admin", "/ws-\\w+/", "/ws-42"])
        #expect(state.namespaceRows.map(\.kind) == [.plain, .plain, .parent, .child])
        #expect(state.namespaceRows[2].socketCount == 1)
        #expect(state.middlewareRows.map(\.info.name) == ["log", "auth", "gate"])
    }

    @Test func movingStaysInRangeAndGGGoesToTheTop() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .move(1))
        _ = Reducer.reduce(&state, .move(1))
        #expect(state.selection[.namespaces] == 2)
        _ = Reducer.reduce(&state, .moveToBottom)
        #expect(state.selection[.namespaces] == 3)
        _ = Reducer.reduce(&state, .move(5))
        #expect(state.selection[.namespaces] == 3)
        _ = Reducer.reduce(&state, .prefix("g"))
        #expect(state.selection[.namespaces] == 3, "one g waits for the second")
        _ = Reducer.reduce(&state, .prefix("g"))
        #expect(state.selection[.namespaces] == 0)
        _ = Reducer.reduce(&state, .prefix("g"))
        _ = Reducer.reduce(&state, .move(1))
        _ = Reducer.reduce(&state, .prefix("g"))
        #expect(state.selection[.namespaces] == 1, "another key in between cancels the chord")
        _ = Reducer.reduce(&state, .pageDown)
        #expect(state.selection[.namespaces] == 3)
        _ = Reducer.reduce(&state, .pageUp)
        #expect(state.selection[.namespaces] == 0)
    }

    @Test func movingInPacketsLeavesFollowAndBottomRestoresIt() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace((0..<5).map { _ in Fixtures.ping() }, time: 1))
        let seqs = state.packets.elements.map(\.seq)
        _ = Reducer.reduce(&state, .move(-2))
        #expect(state.selectedPacketSeq == seqs[2])
        #expect(!state.follow)
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 2))
        #expect(state.selectedPacketSeq == seqs[2], "not following: the selection stays put")
        _ = Reducer.reduce(&state, .moveToBottom)
        #expect(state.follow)
        #expect(state.selectedPacketSeq == state.packets.last?.seq)
        _ = Reducer.reduce(&state, .moveToTop)
        #expect(state.selectedPacketSeq == seqs[0])
    }

    @Test func detailScrollsAndNeverGoesNegative() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .focus(.detail))
        _ = Reducer.reduce(&state, .move(3))
        #expect(state.detailScroll == 3)
        _ = Reducer.reduce(&state, .moveToTop)
        #expect(state.detailScroll == 0)
    }

    @Test func enterNarrowsAndEscUndoesOneStepAtATime() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace([Fixtures.event("a", sid: "sidA"), Fixtures.event("b", nsp: "/admin", sid: "sidC"),
                                           Fixtures.event("c", sid: "sidB")], time: 1))
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .drillIn)
        #expect(state.narrowNamespace == "/")
        #expect(state.focus == .sockets)
        #expect(state.socketRows.map(\.id) == ["AAAA1111", "BBBB2222", "c1"])
        #expect(state.visiblePackets.map(\.eventName) == ["a", "c"])
        _ = Reducer.reduce(&state, .drillIn)
        #expect(state.narrowSID == "sidA")
        #expect(state.focus == .packets)
        #expect(state.visiblePackets.map(\.eventName) == ["a"])
        _ = Reducer.reduce(&state, .drillIn)
        #expect(state.focus == .detail)
        _ = Reducer.reduce(&state, .back)
        #expect(state.focus == .packets)
        _ = Reducer.reduce(&state, .back)
        #expect(state.narrowSID == nil && state.narrowNamespace == "/")
        _ = Reducer.reduce(&state, .back)
        #expect(state.narrowNamespace == nil)
        #expect(state.visiblePackets.count == 3)
    }

    @Test func enterOnAParentExplainsInsteadOfNarrowing() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .move(2))
        _ = Reducer.reduce(&state, .drillIn)
        #expect(state.narrowNamespace == nil)
        #expect(state.status?.text.contains("pattern") == true)
    }

    @Test func togglesAndTheme() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .toggleMaximize)
        #expect(state.maximized)
        _ = Reducer.reduce(&state, .back)
        #expect(!state.maximized, "Esc restores a maximised pane last")
        _ = Reducer.reduce(&state, .toggleFollow)
        #expect(!state.follow)
        #expect(state.themeName == "dark")
        _ = Reducer.reduce(&state, .nextTheme)
        _ = Reducer.reduce(&state, .nextTheme)
        _ = Reducer.reduce(&state, .nextTheme)
        #expect(state.themeName == "dark")
        _ = Reducer.reduce(&state, .showHelp)
        #expect(state.mode == .help)
        _ = Reducer.reduce(&state, .move(4))
        #expect(state.helpScroll == 4, "keys scroll the help while it is open")
        _ = Reducer.reduce(&state, .closeHelp)
        #expect(state.mode == .normal)
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 1))
        _ = Reducer.reduce(&state, .clearPackets)
        #expect(state.packets.isEmpty && state.selectedPacketSeq == nil)
        #expect(Reducer.reduce(&state, .quit) == [.quit])
        #expect(state.quitting)
    }
}
