/// The console's one state transition: `reduce(&state, action)` changes the state and returns the
/// effects to perform. Pure, so every action is tested as a value.
public enum Reducer {
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        if case .prefix = action {} else if state.pendingKey != nil { state.pendingKey = nil }
        switch action {
        case .trace(let events, let time):
            ingest(&state, events, time: time)
        case .queueDropped(let total):
            state.queueDropped = total
        case .snapshot(let snapshot):
            guard snapshot != state.snapshot else { break }
            state.snapshot = snapshot
            clampSelections(&state)
        case .clientChanged(let info):
            state.snapshot.setClient(info, hasServer: state.hasServer)
        case .clientGone(let name):
            state.snapshot.removeClient(named: name, hasServer: state.hasServer)
            clampSelections(&state)
        case .tick(let now):
            tick(&state, now: now)
        case .report(let message):
            state.messages.append(message)

        case .outcome(let outcome):
            state.messages.append(StatusMessage(outcome.text, isError: outcome.isError))
            state.outcomes.append(outcome)

        case .focus(let pane):
            state.focus = pane
        case .focusNext:
            state.focus = state.focus.next
        case .focusPrevious:
            state.focus = state.focus.previous
        case .move(let delta):
            move(&state, by: delta)
        case .moveToTop:
            move(&state, by: Int.min / 2)
        case .moveToBottom:
            move(&state, by: Int.max / 2)
        case .pageDown:
            move(&state, by: 10)
        case .pageUp:
            move(&state, by: -10)
        case .prefix(let key):
            if state.pendingKey == key, key == "g" {
                state.pendingKey = nil
                move(&state, by: Int.min / 2)
            } else {
                state.pendingKey = key
            }
        case .drillIn:
            drillIn(&state)
        case .back:
            back(&state)

        case .toggleFollow:
            state.follow.toggle()
            if state.follow { state.selectedPacketSeq = state.visiblePackets.last?.seq }
            state.messages.append(StatusMessage(state.follow ? "following new packets" : "follow off"))
        case .togglePause:
            state.paused.toggle()
            state.messages.append(StatusMessage(state.paused ? "capture paused: new packets are counted, not kept" : "capture resumed"))
        case .toggleMaximize:
            state.maximized.toggle()
        case .clearPackets:
            state.packets.removeAll()
            state.decisions.removeAll()
            state.selectedPacketSeq = nil
            state.ackEmits = [:]
            state.ackLinks = [:]
            state.messages.append(StatusMessage("trace cleared"))
        case .nextTheme:
            let names = state.themeNames
            let i = names.firstIndex(of: state.themeName) ?? -1
            state.themeName = names[(i + 1) % names.count]
            state.messages.append(StatusMessage("theme \(state.themeName)"))
        case .showHelp:
            state.mode = .help
            state.helpScroll = 0
        case .closeHelp:
            state.mode = .normal

        case .beginInput(let kind):
            state.mode = .input(kind)
            state.input = TextField(text: kind == .filter ? state.filter.text : "")
            state.historyCursor = nil
        case .inputInsert, .inputBackspace, .inputDelete, .inputCursor, .inputHome, .inputEnd, .inputHistory, .inputCancel:
            editInput(&state, action)
        case .inputSubmit:
            return submitInput(&state)

        case .toggleRejectSelected:
            return toggleRejectSelected(&state)
        case .spawnIntoSelected:
            guard let namespace = state.selectedNamespaceRow?.concreteNamespace ?? (state.focus == .sockets ? state.selectedSocket?.namespace : nil) else {
                return fail(&state, "select a namespace first (a regex parent is a pattern: use :spawn 1 /its-child)")
            }
            return [.spawn(count: 1, namespace: namespace, auth: nil, transport: nil)]
        case .disconnectSelected:
            guard let socket = state.selectedSocket, state.focus == .sockets || state.focus == .namespaces else {
                return fail(&state, "select a socket in the Sockets pane (2) first")
            }
            return [.disconnect(SocketRef(side: socket.side, id: socket.id, namespace: socket.namespace))]

        case .run(let line):
            return runCommand(&state, line)
        case .tourOpen, .tourMove, .tourRun, .tourAnswer, .tourClose:
            return tour(&state, action)
        case .redraw:
            return [.redraw]
        case .suspend:
            return [.suspend]
        case .quit:
            state.quitting = true
            return [.quit]
        }
        return []
    }

    static func fail(_ state: inout AppState, _ message: String) -> [Effect] {
        state.messages.append(StatusMessage(message, isError: true))
        return []
    }

    static func tick(_ state: inout AppState, now: Double) {
        if state.rateWindowStart == 0 { state.rateWindowStart = now }
        let elapsed = now - state.rateWindowStart
        if elapsed >= 1 {
            state.packetRate = Int((Double(state.rateWindowCount) / elapsed).rounded())
            state.rateWindowCount = 0
            state.rateWindowStart = now
        }
        if state.pendingKey != nil { state.pendingKey = nil }
    }
}
