import ConsoleModel
import Testing

/// Lesson files: what a good one becomes, and where a bad one is wrong.
@Suite struct LessonFileTests {
    @Test func aLessonWithEveryStatement() throws {
        let text = """
            # a comment
            lesson The handshake
            step Open a session
              say First paragraph.
              say Second paragraph.
              run connect / --transport polling
              expect side:server type:open
              expect 2 type:message
              mark sid pingInterval
              ask Which type carried the sid?
              answer open | 0
              explain The open packet.
            step Emit
              run emit client $client echo 1
            """
        let lesson = try LessonFile.parse(text, file: "t.tour", id: "t")
        #expect(lesson.id == "t" && lesson.title == "The handshake" && lesson.steps.count == 2)
        let step = lesson.steps[0]
        #expect(step.paragraphs == ["First paragraph.", "Second paragraph."])
        #expect(step.commands == ["connect / --transport polling"])
        #expect(step.expectations.map(\.text) == ["side:server type:open", "type:message"])
        #expect(step.expectations.map(\.count) == [1, 2])
        #expect(step.marks == ["sid", "pingInterval"])
        #expect(step.question == Question(text: "Which type carried the sid?", answers: ["open", "0"], explanation: "The open packet."))
        #expect(step.question?.accepts("  OPEN ") == true && step.question?.accepts("close") == false)
        #expect(lesson.steps[1].commands == ["emit client $client echo 1"])
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(text: "", line: 1, column: 1, message: "empty lesson: it starts with: lesson TITLE"),
        Bad(text: "step Early", line: 1, column: 1, message: "a lesson file starts with: lesson TITLE"),
        Bad(text: "lesson L\n  say too early", line: 2, column: 3, message: "'say' belongs to a step: start one with: step TITLE"),
        Bad(text: "lesson L", line: 1, column: 1, message: "the lesson has no steps"),
        Bad(text: "lesson L\nlesson M", line: 2, column: 1, message: "one lesson per file"),
        Bad(text: "lesson L\nstep S\n  shout hi", line: 3, column: 3,
            message: "unknown statement 'shout': expected lesson, step, say, run, expect, mark, ask, answer or explain"),
        Bad(text: "lesson L\nstep S\n  say", line: 3, column: 6, message: "'say' needs text after it"),
        Bad(text: "lesson L\nstep S\n  run frobnicate", line: 3, column: 7, message: "run: unknown command 'frobnicate'"),
        Bad(text: "lesson L\nstep S\n  run emit client c1 x {oops", line: 3, column: 24, message: "run: "),
        Bad(text: "lesson L\nstep S\n  expect dir:sideways", line: 3, column: 10, message: "expect: dir: is in or out"),
        Bad(text: "lesson L\nstep S\n  expect 0 type:open", line: 3, column: 10, message: "expect N: N is from 1 to 1000"),
        Bad(text: "lesson L\nstep S\n  answer yes", line: 3, column: 3, message: "'answer' needs an 'ask' before it"),
        Bad(text: "lesson L\nstep S\n  ask Why?\n  ask Again?", line: 4, column: 3, message: "one question per step"),
        Bad(text: "lesson L\nstep S\n  ask Why?", line: 3, column: 1, message: "step 1 (S) asks a question with no answer"),
        Bad(text: "lesson L\nstep S\n  run connect /\n  run emit client $client x", line: 4, column: 19,
            message: "$client means the newest client when the step starts, before this step's connect: use it in the next step"),
    ]

    @Test(arguments: bad)
    func aBadFileSaysWhereAndWhy(_ bad: Bad) {
        #expect {
            try LessonFile.parse(bad.text, file: "bad.tour", id: "bad")
        } throws: { error in
            guard let error = error as? LessonFileError else { return false }
            return error.file == "bad.tour" && error.line == bad.line && error.column == bad.column && error.message.hasPrefix(bad.message)
        }
    }
}
