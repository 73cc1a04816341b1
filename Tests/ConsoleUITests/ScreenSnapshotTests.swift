import ConsoleModel
import ConsoleTestSupport
import ConsoleUI
import Testing
import TermUI

/// Whole screens, every pane and overlay, at the sizes people use.
@Suite struct ScreenSnapshotTests {
    let context = RenderContext(glyphs: .unicode, utcOffset: 0, now: 3_600 * 12 + 90)

    func render(_ state: AppState, _ width: Int, _ height: Int, glyphs: Glyphs = .unicode) -> CellBuffer {
        var context = context
        context.glyphs = glyphs
        return Screen.render(state, size: Size(width: width, height: height), context: context).buffer
    }

    @Test func fullScreenPacketSelected() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .move(-5))
        #expect(state.selectedPacket?.type == "CONNECT_ERROR")
        try assertSnapshot(render(state, 140, 40), named: "full-packets")
    }

    @Test func fullScreenBinaryPacketExplained() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .move(-2))
        #expect(state.selectedPacket?.type == "BINARY_EVENT")
        let buffer = render(state, 140, 40)
        #expect(buffer.text.contains("attachment 0 (4 B): 01 02 03 04"))
        try assertSnapshot(buffer, named: "full-binary")
    }

    @Test func namespacesFocusedShowsTheNamespace() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .move(1))
        let buffer = render(state, 120, 32)
        #expect(buffer.text.contains("namespace /admin"))
        try assertSnapshot(buffer, named: "full-namespaces")
    }

    @Test func socketsFocusedShowsHandshake() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .focus(.sockets))
        let buffer = render(state, 120, 32)
        #expect(buffer.text.contains(#"auth: {"user":"ada"}"#))
        try assertSnapshot(buffer, named: "full-sockets")
    }

    @Test func aSocketsDetailListsWhatTheOperatorsActionsOnItCameTo() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .focus(.sockets))
        let id = try #require(state.selectedSocket?.id)
        for outcome: EffectOutcome in [.joined(id: id, room: "vip"), .emitted(event: "x", client: nil, target: "other", count: nil),
                                       .acked(event: "delete", client: nil, from: id, reply: ["ok"]),
                                       .ackFailed(event: "slow", peer: id, reason: "timed out")] {
            _ = Reducer.reduce(&state, .outcome(outcome))
        }
        let text = render(state, 120, 40).text
        let lines = text.split(separator: "\n").map(String.init)
        let heading = lines.firstIndex { $0.contains("your actions on it, newest first:") }
        #expect(heading != nil)
        let listed = lines.dropFirst((heading ?? 0) + 1).prefix(3).joined(separator: "\n")
        #expect(listed.contains(#""slow" and \#(id): no ack (timed out)"#))
        #expect(listed.contains(#"ack from \#(id): ["ok"]"#))
        #expect(listed.contains("\(id) joined vip"))
        #expect(!text.contains("to other"), "another socket's outcome is not listed")
    }

    @Test func theLessonPanelBesideThePanesWithTheStepsPacketsMarked() throws {
        var state = Scenes.rich()
        let step = LessonStep(title: "The server pings", paragraphs: ["In Engine.IO v4 the server sends ping (2)."],
                              commands: ["connect / --transport websocket"],
                              expectations: [Expectation(text: "side:server type:ping", filter: try PacketFilter.parse("side:server type:ping"))],
                              marks: ["ping"], question: Question(text: "Who pings?", answers: ["server"], explanation: "The server."))
        _ = Reducer.reduce(&state, .tourOpen([Lesson(id: "04", title: "4. Heartbeat", steps: [step, step])], lesson: nil, step: 0))
        _ = Reducer.reduce(&state, .tourRun)
        _ = Reducer.reduce(&state, .trace([.enginePacket(side: .server, sid: "sidA", direction: .outbound, transport: .websocket, packet: .ping)],
                                          time: 3_600 * 12 + 80))
        _ = Reducer.reduce(&state, .tourAnswer("server"))
        let buffer = render(state, 160, 40)
        let text = buffer.text
        #expect(text.contains("Tour 1/1 │ step 1/2"))
        #expect(text.contains(":connect / --transport websocket"))
        #expect(text.contains("expect side:server type:ping ↪ seen 1, marked"))
        #expect(text.contains("? Who pings?") && text.contains("right answer"))
        // The marked packet is selected, so the detail pane explains it, and its row wears the mark.
        #expect(state.selectedPacket?.type == "ping")
        try assertSnapshot(buffer, named: "tour-panel")
    }

    @Test func theLessonPanelOnTopWhenTheTerminalIsNarrow() {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .tourOpen([Lesson(id: "01", title: "1. Handshake", steps: [LessonStep(title: "Open")])], lesson: nil, step: 0))
        let layout = Layout.compute(size: Size(width: 100, height: 30), maximized: false, focus: .packets, lessonPanel: true)
        #expect(layout.form == .single && layout.lesson.y == 0 && layout.lesson.width == 100)
        #expect(render(state, 100, 30).text.contains("1. Handshake"))
        let wide = Layout.compute(size: Size(width: 160, height: 40), maximized: false, focus: .packets, lessonPanel: true)
        #expect(wide.form == .full && wide.lesson.x == 0 && wide.lesson.width == 53 - 1)
    }

    @Test func middlewareFocusedWithAForcedReject() throws {
        var state = Scenes.rich()
        var snapshot = Fixtures.snapshot
        snapshot.namespaces[1].middleware[0].forced = .reject(message: "go away", data: ["code": 1])
        _ = Reducer.reduce(&state, .snapshot(snapshot))
        _ = Reducer.reduce(&state, .focus(.middleware))
        _ = Reducer.reduce(&state, .move(1))
        let buffer = render(state, 120, 32)
        #expect(buffer.text.contains(#"[REJECT "go aw"#))
        #expect(buffer.text.contains("/admin              1 REJ"))
        try assertSnapshot(buffer, named: "full-middleware")
    }

    @Test func narrowTerminalShowsOnePaneAndTabs() throws {
        let state = Scenes.rich()
        let buffer = render(state, 80, 24)
        #expect(buffer.line(0).hasPrefix(" 1 Namespaces  2 Sockets  3 Packets "))
        try assertSnapshot(buffer, named: "narrow-80x24")
    }

    @Test func maximisedPaneOnAWideTerminal() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .toggleMaximize)
        try assertSnapshot(render(state, 120, 20), named: "maximised-packets")
    }

    @Test func tooSmallSaysSo() throws {
        let buffer = render(Scenes.rich(), 30, 6)
        #expect(buffer.line(0) == "terminal too small")
        try assertSnapshot(buffer, named: "too-small")
        for w in 0...45 {
            for h in [0, 1, 2, 7, 8, 9, 19, 20] { _ = render(Scenes.rich(), w, h) }   // never traps at any size
        }
    }

    @Test func helpOverlayFromTheKeyTable() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .showHelp)
        let buffer = render(state, 120, 40)
        #expect(buffer.text.contains("toggle forced reject on the namespace's first middleware"))
        try assertSnapshot(buffer, named: "help")
        _ = Reducer.reduce(&state, .move(40))
        #expect(render(state, 120, 40).text.contains(":save FILE"), "scrolling reaches the commands")
    }

    @Test func emitLineValidatesAsYouType() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .beginInput(.emit))
        for c in #"to /admin "delete user" {"id":"# { _ = Reducer.reduce(&state, .inputInsert(c)) }
        let frame = Screen.render(state, size: Size(width: 100, height: 30), context: context)
        #expect(frame.buffer.line(28).hasSuffix("unclosed bracket: 1 more '}' or ']' needed"))
        #expect(frame.cursor?.y == 28)
        try assertSnapshot(frame.buffer, named: "emit-invalid")
        _ = Reducer.reduce(&state, .inputInsert("7"))
        _ = Reducer.reduce(&state, .inputInsert("}"))
        #expect(Screen.render(state, size: Size(width: 100, height: 30), context: context).buffer.line(28).hasSuffix("ok"))
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() throws {
        let buffer = render(Scenes.rich(), 100, 24, glyphs: .ascii)
        #expect(buffer.text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "…" })
        try assertSnapshot(buffer, named: "ascii")
    }

    @Test func filterNoteAndEmptyResult() throws {
        var state = Scenes.rich()
        _ = Reducer.reduce(&state, .run("filter ev:nothing"))
        let buffer = render(state, 120, 30)
        #expect(buffer.text.contains("no packet matches the filter"))
        #expect(buffer.line(0).contains("filter: ev:nothing"))
    }
}
