/// The plain-text rendering of an explanation: an indented tree, one field a line, with the
/// meaning beside it; errors show the input with a caret under the offending byte.
public enum ExplanationText {
    public static func render(_ explanation: Explanation) -> String {
        var out: [String] = []
        let count = explanation.inputs.count
        for (i, input) in explanation.inputs.enumerated() {
            if i > 0 { out.append("") }
            out.append("input \(i + 1) of \(count): \(input.form.title)")
            out.append("  " + PastedInput.printable(Array(input.input.utf8)))
            for node in input.nodes {
                out.append("")
                render(node, indent: 0, into: &out)
            }
            if let error = input.error {
                out.append("")
                out += renderError(error, input: input.input, number: i + 1)
            }
        }
        for note in explanation.notes {
            out.append("")
            out.append("note: \(note)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static let rawWidth = 14
    static let labelWidth = 12

    static func render(_ node: ExplainNode, indent: Int, into out: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        if !node.children.isEmpty {
            var header = pad + node.label
            if let value = node.value { header += ": " + value }
            if let raw = node.raw, !raw.isEmpty { header += "   " + ValueText.clip(raw, limit: 60) }
            out.append(header)
            if let meaning = node.meaning { out.append(pad + "  " + meaning) }
            for child in node.children { render(child, indent: indent + 1, into: &out) }
            return
        }
        var line = pad
        if let raw = node.raw { line += ValueText.clip(raw, limit: rawWidth).padded(to: rawWidth) + " " }
        line += node.label.padded(to: labelWidth)
        if let value = node.value { line += " " + value }
        if let meaning = node.meaning { line += " — " + meaning }
        out.append(line)
    }

    /// The message, then the input around the offending byte with a caret under it.
    public static func renderError(_ error: ExplainError, input: String, number: Int) -> [String] {
        var lines = ["error: \(error.layer): \(error.message) (input \(number), byte \(error.offset))"]
        let bytes = Array(input.utf8)
        let offset = min(error.offset, bytes.count)
        let before = PastedInput.printable(bytes[..<offset])
        let after = PastedInput.printable(bytes[offset...])
        var shownBefore = before
        var prefix = ""
        if before.count > 50 {
            shownBefore = String(before.suffix(40))
            prefix = "…"
        }
        let shownAfter = after.count > 40 ? String(after.prefix(39)) + "…" : after
        lines.append("  " + prefix + shownBefore + shownAfter)
        lines.append("  " + String(repeating: " ", count: prefix.count + shownBefore.count) + "^")
        return lines
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
