extension Reducer {
    /// The guided tour: opening, moving between steps (each move remembered), running a step's
    /// commands through the same path as typed ones, answering its question.
    static func tour(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .tourOpen(let lessons, let id, let step):
            guard !lessons.isEmpty else { return fail(&state, "tour: no lessons found (tours/*.tour)") }
            let index = id.flatMap { id in lessons.firstIndex { $0.id == id } } ?? 0
            state.tour = TourState(lessons: lessons, lesson: index, step: id == nil ? 0 : step)
            state.messages.append(StatusMessage("tour: \(lessons[index].title) — space runs the step, n and p move, a answers"))
            return progress(state)
        case .tourClose:
            guard state.tour != nil else { return [] }
            state.tour = nil
            state.messages.append(StatusMessage("tour closed (:tour opens it where you stopped)"))
        case .tourMove(let delta):
            guard var tour = state.tour else { return [] }
            guard tour.move(delta) else {
                state.messages.append(StatusMessage(delta > 0 ? "the end of the tour: :tour off closes it" : "the start of the tour"))
                return []
            }
            state.tour = tour
            state.follow = true
            return progress(state)
        case .tourRun:
            return runStep(&state)
        case .tourAnswer(let text):
            guard var tour = state.tour, let question = tour.currentStep.question else {
                return fail(&state, "this step asks nothing")
            }
            tour.answer = question.accepts(text) ? .right : .wrong(given: text)
            state.tour = tour
            state.messages.append(StatusMessage(tour.answer == .right ? "right answer" : "not quite: \(text)", isError: tour.answer != .right))
        default:
            break
        }
        return []
    }

    static func progress(_ state: AppState) -> [Effect] {
        guard let tour = state.tour else { return [] }
        return [.saveTourProgress(lesson: tour.currentLesson.id, step: tour.step)]
    }

    /// The step's commands, its variables filled in, run as if typed; from here on the packets that
    /// match its expectations are marked.
    static func runStep(_ state: inout AppState) -> [Effect] {
        guard var tour = state.tour else { return [] }
        let step = tour.currentStep
        var lines: [String] = []
        for command in step.commands {
            switch resolveVariables(command, state) {
            case .success(let line): lines.append(line)
            case .failure(let missing): return fail(&state, "tour: \(missing)")
            }
        }
        tour.startWatching(from: state.nextSeq)
        state.tour = tour
        state.follow = true
        var effects: [Effect] = []
        for line in lines {
            state.messages.append(StatusMessage(":" + line))
            effects += runCommand(&state, line)
        }
        if lines.isEmpty { state.messages.append(StatusMessage("watching for: " + step.expectations.map(\.text).joined(separator: ", "))) }
        return effects
    }

    struct MissingVariable: Error, CustomStringConvertible {
        var description: String
    }

    /// `$client`, `$socket`, `$sid`: the newest simulated client, its socket id on the server, its session.
    static func resolveVariables(_ line: String, _ state: AppState) -> Result<String, MissingVariable> {
        guard line.contains("$") else { return .success(line) }
        let clients = state.snapshot.sockets.filter { $0.side == .client }
        let newest = clients.max { (Int($0.id.dropFirst()) ?? 0) < (Int($1.id.dropFirst()) ?? 0) }
        guard let newest else { return .failure(MissingVariable(description: "this step needs a simulated client; run the step that connects one")) }
        var result = line.replacing("$client", with: newest.id)
        if result.contains("$socket") {
            guard !newest.peerID.isEmpty else {
                return .failure(MissingVariable(description: "\(newest.id) is not connected (\(newest.state.rawValue)); run the step that connects it"))
            }
            result = result.replacing("$socket", with: newest.peerID)
        }
        if result.contains("$sid") {
            guard !newest.sid.isEmpty else { return .failure(MissingVariable(description: "\(newest.id) has no session yet")) }
            result = result.replacing("$sid", with: newest.sid)
        }
        return .success(result)
    }

    /// A new packet against the tour's step; the first time the step is satisfied, its first marked
    /// packet is selected so the detail pane explains it.
    static func see(_ state: inout AppState, _ record: PacketRecord) {
        guard var tour = state.tour, tour.runFrom != nil else { return }
        let before = tour.satisfied
        guard tour.see(record) else { return }
        state.tour = tour
        if !before, tour.satisfied, let first = tour.matched.first?.first ?? tour.marked.min() {
            state.follow = false
            state.selectedPacketSeq = first
            state.messages.append(StatusMessage("seen: the marked packets; the first is explained in pane 4" + (tour.isLastStep ? "" : " — n goes on")))
        }
    }
}
