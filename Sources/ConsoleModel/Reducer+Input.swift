extension Reducer {
    static func editInput(_ state: inout AppState, _ action: Action) {
        guard case .input(let kind) = state.mode else { return }
        switch action {
        case .inputInsert(let c): state.input.insert(c)
        case .inputBackspace: state.input.backspace()
        case .inputDelete: state.input.deleteForward()
        case .inputCursor(let delta): state.input.move(delta)
        case .inputHome: state.input.cursor = 0
        case .inputEnd: state.input.cursor = state.input.text.count
        case .inputHistory(let delta): recall(&state, delta)
        case .inputCancel:
            state.mode = .normal
            state.input = TextField()
            return
        default: return
        }
        // The filter applies as it is typed, whenever it parses.
        if kind == .filter, let filter = try? PacketFilter.parse(state.input.text) {
            state.filter = filter
            if state.follow { state.selectedPacketSeq = lastVisibleSeq(state) }
        }
    }

    static func recall(_ state: inout AppState, _ delta: Int) {
        guard !state.history.isEmpty else { return }
        let next = (state.historyCursor ?? state.history.count) + delta
        guard next >= 0 else { return }
        if next >= state.history.count {
            state.historyCursor = nil
            state.input = TextField()
        } else {
            state.historyCursor = next
            let entry = state.history[next]
            let emitLine = state.mode == .input(.emit) && entry.hasPrefix("emit ")
            state.input = TextField(text: emitLine ? String(entry.dropFirst(5)) : entry)
        }
    }

    /// Enter on the bottom line: the filter is kept, a command or emit runs if it parses. A line
    /// that does not parse stays open with its error, and nothing changes.
    static func submitInput(_ state: inout AppState) -> [Effect] {
        guard case .input(let kind) = state.mode else { return [] }
        let text = state.input.text
        switch kind {
        case .filter:
            do {
                state.filter = try PacketFilter.parse(text)
            } catch {
                return fail(&state, "filter: \(error)")
            }
            state.mode = .normal
            state.messages.append(StatusMessage(state.filter.isEmpty ? "filter cleared" : "filter: \(text)"))
            return []
        case .command, .emit:
            let line = kind == .emit ? "emit " + text : text
            if text.trimmingCharacters(in: " ").isEmpty {
                state.mode = .normal
                return []
            }
            do {
                _ = try CommandParser.parse(line)
            } catch {
                let shift = kind == .emit ? 5 : 0
                return fail(&state, "\(kind == .emit ? "emit" : "command"): col \(max(1, error.column - shift)): \(error.message)")
            }
            if state.history.last != line { state.history.append(line) }
            if state.history.count > 100 { state.history.removeFirst() }
            state.mode = .normal
            state.input = TextField()
            // A step's commands typed by hand count as running it: its packets are marked from here.
            if var tour = state.tour, tour.runFrom == nil, !line.hasPrefix("tour") {
                tour.startWatching(from: state.nextSeq)
                state.tour = tour
            }
            return runCommand(&state, line)
        case .answer:
            state.mode = .normal
            state.input = TextField()
            return reduce(&state, .tourAnswer(text))
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
