extension Reducer {
    static func move(_ state: inout AppState, by delta: Int) {
        if state.mode == .help {
            state.helpScroll = max(0, state.helpScroll.addingClamped(delta))
            return
        }
        switch state.focus {
        case .namespaces: moveSelection(&state, .namespaces, count: state.namespaceRows.count, delta)
        case .sockets: moveSelection(&state, .sockets, count: state.socketRows.count, delta)
        case .middleware: moveSelection(&state, .middleware, count: state.middlewareRows.count, delta)
        case .detail: state.detailScroll = max(0, state.detailScroll.addingClamped(delta))
        case .packets:
            let visible = state.visiblePackets
            guard !visible.isEmpty else { return }
            let current = state.selectedPacketSeq.flatMap { visible.lastIndex(atMost: $0) } ?? visible.count - 1
            let target = min(max(0, current.addingClamped(delta)), visible.count - 1)
            state.selectedPacketSeq = visible[target].seq
            state.follow = target == visible.count - 1 && delta > 0
            state.detailScroll = 0
        }
    }

    static func moveSelection(_ state: inout AppState, _ pane: Pane, count: Int, _ delta: Int) {
        guard count > 0 else { state.selection[pane] = 0; return }
        let current = state.selection[pane] ?? 0
        state.selection[pane] = min(max(0, current.addingClamped(delta)), count - 1)
    }

    static func clampSelections(_ state: inout AppState) {
        for (pane, count) in [(Pane.namespaces, state.namespaceRows.count), (.sockets, state.socketRows.count),
                              (.middleware, state.middlewareRows.count)] {
            if let i = state.selection[pane], i >= count { state.selection[pane] = max(0, count - 1) }
        }
    }

    static func drillIn(_ state: inout AppState) {
        switch state.focus {
        case .namespaces:
            guard let row = state.selectedNamespaceRow else { return }
            guard let namespace = row.concreteNamespace else {
                state.messages.append(StatusMessage("\(row.name) is a pattern; its children are listed under it"))
                return
            }
            state.narrowNamespace = namespace
            state.narrowSID = nil
            state.selection[.sockets] = 0
            state.focus = .sockets
            state.selectedPacketSeq = lastVisibleSeq(state)
            state.messages.append(StatusMessage("showing \(namespace) only (Esc shows all)"))
        case .sockets:
            guard let socket = state.selectedSocket, !socket.sid.isEmpty else { return }
            state.narrowSID = socket.sid
            state.focus = .packets
            state.selectedPacketSeq = lastVisibleSeq(state)
            state.messages.append(StatusMessage("showing session \(socket.sid) only (Esc shows all)"))
        case .packets:
            state.focus = .detail
            state.detailScroll = 0
        case .detail, .middleware:
            break
        }
    }

    /// Esc: one step back at a time.
    static func back(_ state: inout AppState) {
        if state.mode == .help { state.mode = .normal; return }
        if state.focus == .detail { state.focus = .packets; return }
        if state.narrowSID != nil { state.narrowSID = nil; return }
        if state.narrowNamespace != nil { state.narrowNamespace = nil; return }
        if !state.filter.isEmpty { state.filter = .none; state.messages.append(StatusMessage("filter cleared")); return }
        if state.maximized { state.maximized = false }
    }
}

extension Int {
    func addingClamped(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int.max : Int.min) : sum
    }
}
