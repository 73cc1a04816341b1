/// One lesson of the guided tour (`sioscope tour`, `:tour`): steps that each say what is about to
/// happen, make it happen with console commands on the live cores, and point at the packets it
/// produced. Lessons are data (`tours/*.tour`, format in `LessonFile`).
public struct Lesson: Sendable, Hashable {
    /// The file's name without `.tour`: what the progress file and `:tour NAME` refer to.
    public var id: String
    public var title: String
    public var steps: [LessonStep]

    public init(id: String, title: String, steps: [LessonStep]) {
        self.id = id
        self.title = title
        self.steps = steps
    }
}

public struct LessonStep: Sendable, Hashable {
    public var title: String
    /// Paragraphs of explanation.
    public var paragraphs: [String]
    /// Console command lines (without the colon) run by the step's key, in order. `$client`,
    /// `$socket` and `$sid` stand for the newest simulated client, its socket id on the server and
    /// its Engine.IO session.
    public var commands: [String]
    /// The packets the step promises, each a packets-pane filter with how many must be seen.
    public var expectations: [Expectation]
    /// Words the lesson talks about, marked in the detail pane's explanation.
    public var marks: [String]
    public var question: Question?

    public init(title: String, paragraphs: [String] = [], commands: [String] = [], expectations: [Expectation] = [],
                marks: [String] = [], question: Question? = nil) {
        self.title = title
        self.paragraphs = paragraphs
        self.commands = commands
        self.expectations = expectations
        self.marks = marks
        self.question = question
    }
}

public struct Expectation: Sendable, Hashable {
    /// As written, for the panel.
    public var text: String
    public var filter: PacketFilter
    public var count: Int

    public init(text: String, filter: PacketFilter, count: Int = 1) {
        self.text = text
        self.filter = filter
        self.count = count
    }
}

public struct Question: Sendable, Hashable {
    public var text: String
    /// Accepted answers, compared without case and surrounding spaces.
    public var answers: [String]
    /// Said after the answer, right or wrong.
    public var explanation: String?

    public init(text: String, answers: [String], explanation: String? = nil) {
        self.text = text
        self.answers = answers
        self.explanation = explanation
    }

    public func accepts(_ answer: String) -> Bool {
        let given = answer.trimmingCharacters(in: " ").lowercased()
        return answers.contains { $0.lowercased() == given }
    }
}
