/// Fitting text into columns, by display width.
public enum TextLayout {
    /// The text cut to `width` columns, ending in `…` when something was cut.
    public static func truncated(_ text: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(Terminal.sanitized(character).character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// The text cut or padded with spaces to exactly `width` columns.
    public static func padded(_ text: String, to width: Int) -> String {
        let cut = truncated(text, to: width)
        let w = DisplayWidth.of(cut)
        return w < width ? cut + String(repeating: " ", count: width - w) : cut
    }

    /// Right-aligned in `width` columns.
    public static func rightAligned(_ text: String, to width: Int) -> String {
        let cut = truncated(text, to: width)
        let w = DisplayWidth.of(cut)
        return w < width ? String(repeating: " ", count: width - w) + cut : cut
    }

    /// Lines no wider than `width`, broken at spaces where possible.
    public static func wrapped(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(Terminal.sanitized(character).character)
            if used + w > width {
                if let space = current.lastIndex(of: " "), current.distance(from: current.startIndex, to: space) > 0 {
                    let rest = String(current[current.index(after: space)...])
                    lines.append(String(current[..<space]))
                    current = rest
                    used = DisplayWidth.of(rest)
                } else {
                    lines.append(current)
                    current = ""
                    used = 0
                }
            }
            current.append(character)
            used += w
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
