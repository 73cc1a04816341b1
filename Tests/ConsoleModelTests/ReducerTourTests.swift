import ConsoleModel
import ConsoleTestSupport
import SocketIOTrace
import Testing

/// The tour in the model: moving, running a step, marking what it produced, answering.
@Suite struct ReducerTourTests {
    static let lessons: [Lesson] = [
        Lesson(id: "one", title: "One", steps: [
            LessonStep(title: "Connect", commands: ["connect / --transport polling"],
                       expectations: [Expectation(text: "type:ping", filter: try! PacketFilter.parse("type:ping"), count: 2)],
                       question: Question(text: "Who pings?", answers: ["server"])),
            LessonStep(title: "Emit", commands: ["emit client $client hello"]),
        ]),
        Lesson(id: "two", title: "Two", steps: [LessonStep(title: "Leave", commands: ["disconnect $socket"])]),
    ]

    static func opened(at lesson: String? = nil, step: Int = 0) -> AppState {
        var state = Fixtures.state()
        let effects = Reducer.reduce(&state, .tourOpen(lessons, lesson: lesson, step: step))
        #expect(effects == [.saveTourProgress(lesson: state.tour!.currentLesson.id, step: state.tour!.step)])
        return state
    }

    @Test func opensWhereTheOperatorStoppedAndMovesAcrossLessons() {
        var state = Self.opened(at: "one", step: 1)
        #expect(state.tour?.step == 1)
        #expect(Reducer.reduce(&state, .tourMove(1)) == [.saveTourProgress(lesson: "two", step: 0)])
        #expect(state.tour?.lesson == 1 && state.tour?.isLastStep == true)
        #expect(Reducer.reduce(&state, .tourMove(1)) == [], "past the end: nothing to remember")
        #expect(state.status?.text.contains("end of the tour") == true)
        _ = Reducer.reduce(&state, .tourMove(-1))
        #expect(state.tour?.lesson == 0 && state.tour?.step == 1)
        #expect(Self.opened(at: "unknown", step: 5).tour?.lesson == 0, "an unknown lesson opens the first")
        _ = Reducer.reduce(&state, .run("tour off"))
        #expect(state.tour == nil)
    }

    @Test func runningAStepMarksOnlyTheMatchingPacketsThatFollow() {
        var state = Self.opened()
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 1))
        let effects = Reducer.reduce(&state, .tourRun)
        #expect(effects == [.spawn(count: 1, namespace: "/", auth: nil, transport: .polling)])
        #expect(state.tour?.satisfied == false)
        _ = Reducer.reduce(&state, .trace([Fixtures.event("chat"), Fixtures.ping()], time: 2))
        #expect(state.tour?.satisfied == false, "one of two pings")
        _ = Reducer.reduce(&state, .trace([Fixtures.ping()], time: 3))
        let tour = try! #require(state.tour)
        #expect(tour.satisfied)
        #expect(tour.marked.count == 2)
        #expect(!tour.marked.contains(state.packets[0].seq), "the ping before the run is not the step's")
        #expect(state.selectedPacketSeq == tour.matched[0][0] && !state.follow, "the first marked packet is explained")
    }

    @Test func variablesAreTheNewestClientAndItsServerSocket() {
        var state = Self.opened(at: "one", step: 1)
        state.snapshot.sockets = [SocketInfo(id: "c2", side: .client, namespace: "/", sid: "S2", state: .connected, peerID: "P2"),
                                  SocketInfo(id: "c10", side: .client, namespace: "/", sid: "S10", state: .connecting)]
        let effects = Reducer.reduce(&state, .tourRun)
        guard case .emit(let request)? = effects.first, case .client(let ref) = request.from else {
            Issue.record("not a client emit: \(effects)")
            return
        }
        #expect(ref.id == "c10", "c10 is newer than c2, by number")
        _ = Reducer.reduce(&state, .tourMove(1))
        #expect(Reducer.reduce(&state, .tourRun) == [])
        #expect(state.status?.isError == true && state.status?.text.contains("c10 is not connected") == true)
    }

    @Test func anAnswerIsRightOrNotQuite() {
        var state = Self.opened()
        _ = Reducer.reduce(&state, .tourAnswer("client"))
        #expect(state.tour?.answer == .wrong(given: "client"))
        _ = Reducer.reduce(&state, .beginInput(.answer))
        for c in "Server" { _ = Reducer.reduce(&state, .inputInsert(c)) }
        _ = Reducer.reduce(&state, .inputSubmit)
        #expect(state.tour?.answer == .right)
        #expect(state.mode == .normal)
    }

    @Test func typingAStepsCommandByHandCountsAsRunningIt() {
        var state = Self.opened()
        _ = Reducer.reduce(&state, .beginInput(.command))
        for c in "connect / --transport polling" { _ = Reducer.reduce(&state, .inputInsert(c)) }
        let effects = Reducer.reduce(&state, .inputSubmit)
        #expect(effects == [.spawn(count: 1, namespace: "/", auth: nil, transport: .polling)])
        _ = Reducer.reduce(&state, .trace([Fixtures.ping(), Fixtures.ping()], time: 2))
        #expect(state.tour?.satisfied == true)
    }
}
