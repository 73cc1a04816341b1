import ConsoleModel
import TermUI

/// The guided tour's panel: where the operator is, what the step says, the commands its key runs,
/// what it waits for and what it has seen, and its question with the verdict on the answer.
enum LessonPanel {
    static func render(_ tour: TourState, into buffer: inout CellBuffer, area: Rect, context: RenderContext) {
        let lesson = tour.currentLesson
        let title = "Tour \(tour.lesson + 1)/\(tour.lessons.count) \(context.glyphs.vertical) step \(tour.step + 1)/\(lesson.steps.count)"
        let inner = Box(title: title, focused: false).render(into: &buffer, area: area, glyphs: context.glyphs)
        guard !inner.isEmpty else { return }
        var y = inner.y
        for (text, role) in lines(tour, context: context) {
            for piece in DetailPane.hangingWrap(text, width: inner.width) {
                guard y < inner.maxY else { return }
                buffer.put(piece, x: inner.x, y: y, role: role, limit: inner.maxX)
                y += 1
            }
        }
    }

    static func lines(_ tour: TourState, context: RenderContext) -> [(String, Role)] {
        let step = tour.currentStep
        var lines: [(String, Role)] = [
            (tour.currentLesson.title, .paneTitle),
            (step.title, .header),
            ("", .base),
        ]
        for paragraph in step.paragraphs {
            lines.append((paragraph, .base))
            lines.append(("", .base))
        }
        if !step.commands.isEmpty {
            lines.append((tour.runFrom == nil ? "space runs (or type them):" : "ran (space runs again):", .dim))
            for command in step.commands { lines.append(("  :" + command, .explainRaw)) }
        } else if tour.runFrom == nil {
            lines.append(("space starts watching", .dim))
        }
        for (i, expectation) in step.expectations.enumerated() {
            let seen = i < tour.matched.count ? tour.matched[i].count : 0
            let done = tour.runFrom != nil && seen >= expectation.count
            let wanted = expectation.count > 1 ? "\(expectation.count) x " : ""
            let status = tour.runFrom == nil ? "" : done ? " \(context.glyphs.acked) seen \(seen), marked" : " waiting (\(seen))"
            lines.append(("expect \(wanted)\(expectation.text)\(status)", done ? .lessonMark : .dim))
        }
        if tour.satisfied { lines.append(("step done" + (tour.isLastStep ? "" : ": n goes on"), .allow)) }
        if let question = step.question {
            lines.append(("", .base))
            lines.append(("? " + question.text, .header))
            switch tour.answer {
            case nil:
                lines.append(("a answers", .dim))
            case .right?:
                lines.append(("right answer", .allow))
                if let explanation = question.explanation { lines.append((explanation, .base)) }
            case .wrong(let given)?:
                lines.append(("not quite (\(given)); a tries again", .traceError))
                if let explanation = question.explanation { lines.append((explanation, .base)) }
            }
        }
        lines.append(("", .base))
        lines.append((tour.isLastStep ? "the last step: :tour off closes the tour" : "n next step  p previous  :tour off closes", .dim))
        return lines
    }
}
