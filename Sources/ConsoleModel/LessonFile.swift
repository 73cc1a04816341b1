/// Why a lesson file cannot be used: where, and what was expected there.
public struct LessonFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads lesson files: one statement per line, its keyword first; `#` starts a comment line;
/// indentation is free. Commands and filters are checked as the console would check them.
///
///     lesson The Engine.IO handshake
///     step Open a session
///       say A client starts with a plain HTTP GET, with no sid.
///       run connect / --transport polling
///       expect side:server type:open
///       expect 2 type:message
///       mark sid pingInterval
///       ask Which packet type carried the sid?
///       answer open | 0
///       explain The open packet (type 0) is the GET's whole answer.
public enum LessonFile {
    static let statements = "lesson, step, say, run, expect, mark, ask, answer or explain"

    public static func parse(_ text: String, file: String, id: String) throws(LessonFileError) -> Lesson {
        var title: String?
        var steps: [LessonStep] = []
        var lineNumber = 0
        func fail(_ column: Int, _ message: String) -> LessonFileError {
            LessonFileError(file: file, line: lineNumber, column: column, message: message)
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
            let line = raw.dropFirst(indent)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let keyword = String(line.prefix { $0 != " " && $0 != "\t" })
            let restStart = indent + keyword.count + 1 + line.dropFirst(keyword.count).prefix { $0 == " " || $0 == "\t" }.count
            let rest = String(line.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }).trimmingCharacters(in: " ")
            let column = indent + 1
            if keyword != "lesson", keyword != "step", steps.isEmpty {
                guard title != nil else { throw fail(column, "a lesson file starts with: lesson TITLE") }
                throw fail(column, "'\(keyword)' belongs to a step: start one with: step TITLE")
            }
            if rest.isEmpty { throw fail(restStart, "'\(keyword)' needs text after it") }
            switch keyword {
            case "lesson":
                guard title == nil else { throw fail(column, "one lesson per file") }
                title = rest
            case "step":
                guard title != nil else { throw fail(column, "a lesson file starts with: lesson TITLE") }
                steps.append(LessonStep(title: rest))
            case "say":
                steps[steps.count - 1].paragraphs.append(rest)
            case "run":
                do {
                    _ = try CommandParser.parse(TourVariables.placeholders(in: rest))
                } catch {
                    throw fail(restStart + error.column - 1, "run: \(error.message)")
                }
                // Variables are filled in when the step runs, before a client it connects exists.
                if let variable = TourVariables.names.first(where: rest.contains),
                   steps[steps.count - 1].commands.contains(where: TourVariables.connects) {
                    throw fail(restStart + rest.distance(from: rest.startIndex, to: rest.firstRange(of: variable)!.lowerBound),
                               "\(variable) means the newest client when the step starts, before this step's connect: use it in the next step")
                }
                steps[steps.count - 1].commands.append(rest)
            case "expect":
                var filterText = Substring(rest)
                var count = 1
                var filterColumn = restStart
                if let first = rest.split(separator: " ").first, let n = Int(first) {
                    guard (1...1000).contains(n) else { throw fail(restStart, "expect N: N is from 1 to 1000") }
                    count = n
                    filterText = filterText.dropFirst(first.count).drop { $0 == " " }
                    filterColumn += rest.count - filterText.count
                }
                guard !filterText.isEmpty else { throw fail(filterColumn, "expect needs a filter, like type:open side:server") }
                do {
                    let filter = try PacketFilter.parse(String(filterText))
                    steps[steps.count - 1].expectations.append(Expectation(text: String(filterText), filter: filter, count: count))
                } catch {
                    throw fail(filterColumn + error.column - 1, "expect: \(error.message)")
                }
            case "mark":
                steps[steps.count - 1].marks += rest.split(separator: " ").map(String.init)
            case "ask":
                guard steps[steps.count - 1].question == nil else { throw fail(column, "one question per step") }
                steps[steps.count - 1].question = Question(text: rest, answers: [])
            case "answer", "explain":
                guard var question = steps[steps.count - 1].question else { throw fail(column, "'\(keyword)' needs an 'ask' before it") }
                if keyword == "answer" {
                    question.answers += rest.split(separator: "|").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
                } else {
                    question.explanation = rest
                }
                steps[steps.count - 1].question = question
            default:
                throw fail(column, "unknown statement '\(keyword)': expected \(statements)")
            }
        }
        guard let title else {
            lineNumber = max(1, lineNumber)
            throw fail(1, "empty lesson: it starts with: lesson TITLE")
        }
        guard !steps.isEmpty else { throw fail(1, "the lesson has no steps") }
        for (i, step) in steps.enumerated() where step.question != nil && step.question!.answers.isEmpty {
            throw LessonFileError(file: file, line: lineNumber, column: 1, message: "step \(i + 1) (\(step.title)) asks a question with no answer")
        }
        return Lesson(id: id, title: title, steps: steps)
    }
}

/// The words a step's commands may use for what exists only once the tour runs.
public enum TourVariables {
    public static let names = ["$client", "$socket", "$sid"]

    /// Whether a command line connects a new simulated client.
    static func connects(_ line: String) -> Bool {
        if case .spawn? = try? CommandParser.parse(placeholders(in: line)) { return true }
        return false
    }

    /// The line with each variable replaced by a value of the right shape, to check its grammar.
    static func placeholders(in line: String) -> String {
        line.replacing("$client", with: "c1").replacing("$socket", with: "SOCKETID").replacing("$sid", with: "SID")
    }
}
