import ConsoleModel
import ConsoleTestSupport
import Testing

@Suite struct ReducerInputTests {
    func type(_ text: String, into state: inout AppState) {
        for c in text { _ = Reducer.reduce(&state, .inputInsert(c)) }
    }

    @Test func theFilterAppliesAsItIsTyped() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace([Fixtures.event("chat"), Fixtures.ping(), Fixtures.event("move")], time: 1))
        _ = Reducer.reduce(&state, .beginInput(.filter))
        type("ev:ch", into: &state)
        #expect(state.visiblePackets.isEmpty, "ev: globs the whole name")
        type("*", into: &state)
        #expect(state.visiblePackets.map(\.eventName) == ["chat"])
        _ = Reducer.reduce(&state, .inputSubmit)
        #expect(state.mode == .normal)
        #expect(state.filter.text == "ev:ch*")
        _ = Reducer.reduce(&state, .back)
        #expect(state.filter.isEmpty)
    }

    @Test func aBrokenFilterKeepsTheLastGoodOneAndSaysWhy() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .beginInput(.filter))
        type("dir:sideways", into: &state)
        #expect(state.filter.text == "dir", "the last text that parsed stays applied")
        _ = Reducer.reduce(&state, .inputSubmit)
        #expect(state.mode == .input(.filter), "the line stays open to be fixed")
        #expect(state.status?.isError == true)
        #expect(state.status?.text.contains("dir: is in or out") == true)
    }

    @Test func editingKeysMoveAndDelete() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .beginInput(.command))
        type("helo", into: &state)
        _ = Reducer.reduce(&state, .inputCursor(-1))
        _ = Reducer.reduce(&state, .inputInsert("l"))
        #expect(state.input.text == "hello")
        _ = Reducer.reduce(&state, .inputHome)
        _ = Reducer.reduce(&state, .inputDelete)
        #expect(state.input.text == "ello")
        _ = Reducer.reduce(&state, .inputEnd)
        _ = Reducer.reduce(&state, .inputBackspace)
        #expect(state.input.text == "ell" && state.input.cursor == 3)
        _ = Reducer.reduce(&state, .inputCancel)
        #expect(state.mode == .normal && state.input.text.isEmpty)
    }

    @Test func aBadCommandChangesNothingAndShowsAnError() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .beginInput(.command))
        type("emit chat {\"a\":", into: &state)
        #expect(Reducer.reduce(&state, .inputSubmit).isEmpty)
        #expect(state.mode == .input(.command))
        #expect(state.status?.isError == true)
        #expect(state.history.isEmpty)
    }

    @Test func theEmitLineSendsAndRemembers() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .beginInput(.emit))
        type(#"to /admin "delete user" 7 --ack"#, into: &state)
        let effects = Reducer.reduce(&state, .inputSubmit)
        #expect(effects == [.emit(EmitRequest(from: .server(.namespace("/admin")), event: "delete user", arguments: [7],
                                              ack: true, timeoutSeconds: 5))])
        #expect(state.mode == .normal)
        _ = Reducer.reduce(&state, .beginInput(.emit))
        _ = Reducer.reduce(&state, .inputHistory(-1))
        #expect(state.input.text == #"to /admin "delete user" 7 --ack"#, "history recalls the line as typed")
        _ = Reducer.reduce(&state, .inputHistory(1))
        #expect(state.input.text.isEmpty)
    }

    @Test func anEmptyLineJustCloses() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .beginInput(.command))
        type("  ", into: &state)
        #expect(Reducer.reduce(&state, .inputSubmit).isEmpty)
        #expect(state.mode == .normal)
    }
}

@Suite struct ReducerCommandTests {
    func run(_ line: String, _ state: inout AppState) -> [Effect] { Reducer.reduce(&state, .run(line)) }

    @Test func emitTargetsResolveAgainstTheState() {
        var state = Fixtures.state()
        #expect(run("emit hello", &state) == [.emit(EmitRequest(from: .server(.namespace("/")), event: "hello", arguments: [],
                                                                  ack: false, timeoutSeconds: 5))])
        let socket = SocketRef(side: .server, id: "CCCC3333", namespace: "/admin")
        #expect(run("emit to CCCC news {\"n\":1} --timeout 2", &state)
                == [.emit(EmitRequest(from: .server(.socket(socket)), event: "news", arguments: [["n": 1]], ack: true, timeoutSeconds: 2))])
        #expect(run("emit to lobby hi", &state)
                == [.emit(EmitRequest(from: .server(.room(namespace: "/", room: "lobby")), event: "hi", arguments: [], ack: false,
                                      timeoutSeconds: 5))])
        let client = SocketRef(side: .client, id: "c1", namespace: "/")
        #expect(run("emit client c1 chat \"x\" --binary 0102", &state)
                == [.emit(EmitRequest(from: .client(client), event: "chat", arguments: ["x", .binary([1, 2])], ack: false,
                                      timeoutSeconds: 5))])
    }

    @Test(arguments: [
        ("emit to /nowhere x", "no namespace /nowhere on the server"),
        ("emit client c9 x", "no simulated client 'c9' (spawn one with c or :spawn)"),
        ("emit client c1 to /admin x", "a client emits to its own namespace; drop 'to'"),
        ("reject /admin nope", "/admin has no middleware 'nope' (it has auth)"),
        ("reject /nowhere", "no namespace /nowhere on the server"),
        ("disconnect ZZZ", "no socket or client 'ZZZ'"),
        ("join c1 room", "no server socket 'c1' (rooms live on the server side)"),
        ("theme purple", "no theme 'purple'; themes: dark, light, mono"),
    ])
    func refusalsSayWhy(line: String, message: String) {
        var state = Fixtures.state()
        #expect(run(line, &state).isEmpty)
        #expect(state.status == StatusMessage(message, isError: true))
    }

    @Test func middlewareOverrides() {
        var state = Fixtures.state()
        #expect(run(#"reject /admin auth "go away" {"code":1}"#, &state)
                == [.setOverride(scope: .namespace("/admin"), middleware: "auth", .reject(message: "go away", data: ["code": 1]))])
        #expect(run("reject /admin", &state)
                == [.setOverride(scope: .namespace("/admin"), middleware: nil, .reject(message: "rejected by sioscope", data: nil))])
        #expect(run("allow /admin auth", &state) == [.setOverride(scope: .namespace("/admin"), middleware: "auth", nil)])
        #expect(run("delay /admin auth 1.5s", &state)
                == [.setOverride(scope: .namespace("/admin"), middleware: "auth", .delay(milliseconds: 1500))])
        #expect(run("reject /ws-42 gate", &state)
                == [.setOverride(scope: .namespace("/ws-42"), middleware: "gate", .reject(message: "rejected by sioscope", data: nil))],
                "a child can override its parent's middleware")
        #expect(run(#"reject /ws-\w+/ gate"#, &state)
                == [.setOverride(scope: .parent(#"/ws-\w+/"#), middleware: "gate", .reject(message: "rejected by sioscope", data: nil))])
    }

    @Test func rKeyTogglesTheSelectedMiddleware() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .focus(.middleware))
        _ = Reducer.reduce(&state, .move(1))
        #expect(Reducer.reduce(&state, .toggleRejectSelected)
                == [.setOverride(scope: .namespace("/admin"), middleware: "auth", .reject(message: "rejected by sioscope", data: nil))])
        var forced = Fixtures.snapshot
        forced.namespaces[1].middleware[0].forced = .reject(message: "x", data: nil)
        _ = Reducer.reduce(&state, .snapshot(forced))
        #expect(Reducer.reduce(&state, .toggleRejectSelected) == [.setOverride(scope: .namespace("/admin"), middleware: "auth", nil)])
        _ = Reducer.reduce(&state, .focus(.packets))
        #expect(Reducer.reduce(&state, .toggleRejectSelected).isEmpty)
        #expect(state.status?.isError == true)
    }

    @Test func spawnDisconnectJoinLeaveSave() {
        var state = Fixtures.state()
        #expect(run(#"spawn 3 /admin --auth {"token":"secret"} --transport websocket"#, &state)
                == [.spawn(count: 3, namespace: "/admin", auth: ["token": "secret"], transport: .websocket)])
        #expect(run("connect /chat", &state) == [.spawn(count: 1, namespace: "/chat", auth: nil, transport: nil)])
        #expect(run("disconnect c1", &state) == [.disconnect(SocketRef(side: .client, id: "c1", namespace: "/"))])
        let a = SocketRef(side: .server, id: "AAAA1111", namespace: "/")
        #expect(run("join AAAA vip", &state) == [.join(a, room: "vip")])
        #expect(run("leave AAAA1111 lobby", &state) == [.leave(a, room: "lobby")])
        _ = Reducer.reduce(&state, .trace([Fixtures.ping(), Fixtures.decision(.reject(message: "no", data: nil))], time: 7))
        guard case .save(let path, let lines)? = run("save /tmp/t.jsonl", &state).first else {
            Issue.record("no save effect")
            return
        }
        #expect(path == "/tmp/t.jsonl")
        #expect(lines.count == 2)
        #expect(lines[0].contains(#""kind":"engine.packet""#))
        #expect(lines[1].contains(#""verdict":"reject""#))
    }

    @Test func keysOnTheSelection() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .move(1))
        #expect(Reducer.reduce(&state, .spawnIntoSelected) == [.spawn(count: 1, namespace: "/admin", auth: nil, transport: nil)])
        _ = Reducer.reduce(&state, .move(1))
        #expect(Reducer.reduce(&state, .spawnIntoSelected).isEmpty, "a parent is a pattern")
        _ = Reducer.reduce(&state, .focus(.sockets))
        _ = Reducer.reduce(&state, .moveToBottom)
        #expect(Reducer.reduce(&state, .disconnectSelected) == [.disconnect(SocketRef(side: .client, id: "c1", namespace: "/"))])
    }

    @Test func plainCommands() {
        var state = Fixtures.state()
        _ = run("theme mono", &state)
        #expect(state.themeName == "mono")
        _ = run("filter type:ping", &state)
        #expect(state.filter.text == "type:ping")
        _ = run("pause", &state)
        #expect(state.paused)
        _ = run("follow", &state)
        #expect(!state.follow)
        _ = run("help", &state)
        #expect(state.mode == .help)
        #expect(run("q", &state) == [.quit])
    }
}

@Suite struct AttachedModeTests {
    @Test func emitsComeFromAClientAndServerActionsAreRefused() {
        var state = Fixtures.state()
        state.hasServer = false
        #expect(Reducer.reduce(&state, .run("emit hello 1"))
                == [.emit(EmitRequest(from: .client(SocketRef(side: .client, id: "c1", namespace: "/")), event: "hello",
                                      arguments: [1], ack: false, timeoutSeconds: 5))])
        #expect(Reducer.reduce(&state, .run("reject /admin auth")).isEmpty)
        #expect(state.status?.text == "attached to a remote server: its middleware and rooms are not ours to change")
        #expect(Reducer.reduce(&state, .run("emit to /admin x")).isEmpty)
        _ = Reducer.reduce(&state, .focus(.namespaces))
        _ = Reducer.reduce(&state, .move(1))
        #expect(Reducer.reduce(&state, .run("emit x")).isEmpty, "no client of ours in /admin")
        #expect(state.status?.text == "no connected client in /admin; :connect NSP first")
    }
}
