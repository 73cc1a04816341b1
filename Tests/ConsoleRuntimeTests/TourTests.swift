import ConsoleModel
import ConsoleRuntime
import Foundation
import Scenarios
import TermUI
import Testing

/// The guided tour against the live cores: every shipped lesson, step by step, through keys.
@Suite("console runtime: the guided tour", .serialized)
struct TourTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tours").path

    static func library() -> TourLibrary {
        let progress = FileManager.default.temporaryDirectory.appendingPathComponent("sioscope-tour-\(UUID().uuidString)").path
        return TourLibrary(directories: [shipped], progressFile: progress)
    }

    @Test("the shipped lessons parse: twelve, in order")
    func shippedLessonsParse() {
        let (lessons, problems) = Self.library().load()
        #expect(problems == [])
        #expect(lessons.count == 12)
        #expect(lessons.first?.id == "01-handshake" && lessons.last?.id == "12-disconnects")
        #expect(lessons.allSatisfy { !$0.steps.isEmpty })
    }

    /// Every simulated client has finished connecting (so `$client` and `$socket` are settled).
    static func clientsSettled(_ h: ConsoleHarness) -> Bool {
        h.state.snapshot.sockets.filter { $0.side == .client }.allSatisfy { $0.state != .connecting }
    }

    @Test("every shipped lesson runs end to end: each step's packets arrive and are marked, each question takes its answer",
          arguments: 1...12)
    func lessonRuns(_ number: Int) async throws {
        let h = try await ConsoleHarness.start(scenario: .tour, tours: Self.library())
        defer { Task { await h.stop() } }
        #expect(await h.keys(":tour \(number)", enter: true) { $0.state.tour?.lesson == number - 1 })
        let lesson = try #require(h.state.tour?.currentLesson)
        for (index, step) in lesson.steps.enumerated() {
            #expect(h.state.tour?.step == index)
            #expect(await h.run(until: Self.clientsSettled))
            let waited = step.expectations.map(\.text).joined(separator: ", ")
            // The heartbeat lesson waits for the tour server's 5 s ping.
            #expect(await h.keys(" ", within: 15) { $0.state.tour?.satisfied == true },
                    Comment(rawValue: "\(lesson.id) step \(index + 1) (\(step.title)) waited for \(waited), matched \(h.state.tour?.matched.map(\.count) ?? []), last: \(h.state.packets.elements.suffix(4).map { "\($0.side) \($0.direction.map(\.rawValue) ?? "") \($0.type) \($0.eventName ?? "")" }), \(h.state.messages.elements.suffix(3).map(\.text))"))
            let tour = try #require(h.state.tour)
            // The marked packets are in the trace, and the first is the one selected for the detail pane.
            #expect(!tour.marked.isEmpty || step.expectations.isEmpty)
            #expect(tour.marked.allSatisfy { seq in h.state.packets.elements.contains { $0.seq == seq } })
            if !step.expectations.isEmpty {
                #expect(h.state.selectedPacketSeq.map(tour.marked.contains) == true)
            }
            if let question = step.question {
                #expect(await h.keys("a" + question.answers[0], enter: true) { $0.state.tour?.answer == .right })
            }
            if index < lesson.steps.count - 1 {
                #expect(await h.keys("n") { $0.state.tour?.step == index + 1 })
            }
        }
    }

    @Test("the tour remembers where the operator stopped, and :tour opens it there")
    func progressIsRemembered() async throws {
        let library = Self.library()
        let h = try await ConsoleHarness.start(scenario: .tour, tours: library)
        defer { Task { await h.stop() } }
        #expect(await h.keys(":tour 03-upgrade", enter: true) { $0.state.tour?.currentLesson.id == "03-upgrade" })
        #expect(await h.keys("n") { $0.state.tour?.step == 1 })
        #expect(library.progress()?.lesson == "03-upgrade" && library.progress()?.step == 1)
        #expect(await h.keys(":tour off", enter: true) { $0.state.tour == nil })
        #expect(await h.keys(":tour", enter: true) { $0.state.tour?.currentLesson.id == "03-upgrade" && $0.state.tour?.step == 1 })
        #expect(h.screen.contains("Tour 3/12"))
        #expect(await h.keys(":tour 99", enter: true) { h in h.state.messages.elements.last?.text.hasPrefix("tour: no lesson '99'") == true })
    }
}
