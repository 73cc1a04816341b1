import ConsoleModel
import ConsoleTestSupport
import ConsoleUI
import Foundation
import Testing
import TermUI

@Suite struct KeymapTests {
    @Test func noKeyMeansTwoThingsInOneScope() {
        var seen: [String: String] = [:]
        for binding in Keymap.bindings {
            for key in binding.keys {
                let slot = "\(binding.scope) \(key)"
                #expect(seen[slot] == nil, "\(key) is bound twice in \(binding.scope): \(seen[slot] ?? "") and \(binding.title)")
                seen[slot] = binding.title
            }
        }
    }

    @Test func paneKeysWinOverGlobalOnes() {
        var state = Fixtures.state()
        state.focus = .middleware
        guard case .toggleRejectSelected? = Keymap.resolve(.character("r"), in: state) else {
            Issue.record("r in the middleware pane should toggle reject")
            return
        }
        state.focus = .detail
        #expect(Keymap.resolve(.character("r"), in: state) == nil)
        guard case .move(1)? = Keymap.resolve(.character("j"), in: state) else {
            Issue.record("j moves everywhere")
            return
        }
    }

    @Test func typingGoesIntoTheLineNotToCommands() {
        var state = Fixtures.state()
        state.mode = .input(.command)
        guard case .inputInsert("q")? = Keymap.resolve(.character("q"), in: state) else {
            Issue.record("q types a q on the command line")
            return
        }
        guard case .inputSubmit? = Keymap.resolve(.special(.enter), in: state) else {
            Issue.record("enter submits")
            return
        }
        state.mode = .help
        guard case .closeHelp? = Keymap.resolve(.character("q"), in: state) else {
            Issue.record("q closes the help")
            return
        }
    }

    @Test func theStatusBarShowsTheFocusedPaneFirst() {
        var state = Fixtures.state()
        state.focus = .sockets
        #expect(Keymap.barHints(for: state).prefix(2).map(\.1) == ["spawn client", "disconnect"])
    }

    /// docs/keys.md is generated from the key table; this keeps it current.
    @Test func keysDocumentIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/keys.md")
        let generated = KeysDocument.markdown()
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("wrote docs/keys.md")
            return
        }
        let current = try String(contentsOf: url, encoding: .utf8)
        #expect(current == generated, "docs/keys.md is stale: RECORD_SNAPSHOTS=1 swift test --filter keysDocumentIsCurrent")
    }

    @Test func theTourKeysComeFirstWhileTheTourIsOpen() {
        var state = Fixtures.state()
        guard case .togglePause? = Keymap.resolve(.character("p"), in: state) else { Issue.record("p pauses"); return }
        let step = LessonStep(title: "s", commands: ["clear"])
        _ = Reducer.reduce(&state, .tourOpen([Lesson(id: "l", title: "L", steps: [step, step])], lesson: nil, step: 0))
        guard case .tourMove(-1)? = Keymap.resolve(.character("p"), in: state) else { Issue.record("p goes back"); return }
        guard case .tourMove(1)? = Keymap.resolve(.character("n"), in: state) else { Issue.record("n goes on"); return }
        guard case .tourRun? = Keymap.resolve(.character(" "), in: state) else { Issue.record("space runs"); return }
        guard case .beginInput(.answer)? = Keymap.resolve(.character("a"), in: state) else { Issue.record("a answers"); return }
        #expect(Keymap.barHints(for: state).prefix(3).map(\.1) == ["run step", "next step", "answer"])
    }
}
