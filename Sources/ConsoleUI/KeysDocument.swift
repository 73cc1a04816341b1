import ConsoleModel

/// docs/keys.md, generated from the key table and the command list (a test keeps it current).
public enum KeysDocument {
    public static func markdown() -> String {
        var out = "# sioscope console keys\n\nGenerated from the key table (`Sources/ConsoleUI/Keymap.swift`); "
            + "the `?` overlay shows the same.\n"
        for line in HelpOverlay.lines() {
            if line.key.isEmpty {
                out += "\n## \(line.text)\n\n| key | what it does |\n|---|---|\n"
            } else {
                out += "| `\(line.key.replacingOccurrences("|", "\\|"))` | \(line.text) |\n"
            }
        }
        return out
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
