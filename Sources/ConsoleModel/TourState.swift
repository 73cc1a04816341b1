/// Where the operator is in the guided tour, and what the current step has produced so far.
public struct TourState: Sendable, Hashable {
    public enum Answer: Sendable, Hashable {
        case right
        case wrong(given: String)
    }

    public var lessons: [Lesson]
    public var lesson: Int
    public var step: Int
    /// The sequence number of the first packet the step's run may have produced; nil until run.
    public var runFrom: Int?
    /// For each expectation of the step, the packets seen that match it (the first few).
    public var matched: [[Int]]
    public var answer: Answer?

    static let keptPerExpectation = 32

    public init(lessons: [Lesson], lesson: Int = 0, step: Int = 0) {
        self.lessons = lessons
        self.lesson = max(0, min(lesson, lessons.count - 1))
        self.step = 0
        self.runFrom = nil
        self.matched = []
        self.answer = nil
        self.step = max(0, min(step, currentLesson.steps.count - 1))
        matched = Array(repeating: [], count: currentStep.expectations.count)
    }

    public var currentLesson: Lesson { lessons[lesson] }
    public var currentStep: LessonStep { currentLesson.steps[step] }

    /// Every expectation has seen its count (a step without any is satisfied once run).
    public var satisfied: Bool {
        runFrom != nil && zip(currentStep.expectations, matched).allSatisfy { $0.count <= $1.count }
    }

    /// The packets to mark in the packets pane.
    public var marked: Set<Int> { Set(matched.joined()) }

    public var isLastStep: Bool { lesson == lessons.count - 1 && step == currentLesson.steps.count - 1 }

    /// Moves one step on (`delta` 1) or back (-1), across lessons; false at either end.
    mutating func move(_ delta: Int) -> Bool {
        var (l, s) = (lesson, step + delta)
        if s >= lessons[l].steps.count {
            guard l + 1 < lessons.count else { return false }
            (l, s) = (l + 1, 0)
        } else if s < 0 {
            guard l > 0 else { return false }
            (l, s) = (l - 1, lessons[l - 1].steps.count - 1)
        }
        self = TourState(lessons: lessons, lesson: l, step: s)
        return true
    }

    /// From this packet on, the step's expectations are checked (its run, or its commands typed).
    mutating func startWatching(from seq: Int) {
        runFrom = seq
        matched = Array(repeating: [], count: currentStep.expectations.count)
    }

    /// Records a new packet against the step's expectations; true when it matched one.
    mutating func see(_ record: PacketRecord) -> Bool {
        guard let runFrom, record.seq >= runFrom else { return false }
        var hit = false
        for (i, expectation) in currentStep.expectations.enumerated()
        where matched[i].count < Self.keptPerExpectation && expectation.filter.matches(record) {
            matched[i].append(record.seq)
            hit = true
        }
        return hit
    }
}
