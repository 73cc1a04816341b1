import WireJSON

/// Short, readable renderings of decoded values for explanations.
enum ValueText {
    /// JSON text, shortened to `limit` characters; binary shown as its size and first bytes.
    static func short(_ value: JSONValue, limit: Int = 60) -> String {
        if case .binary(let bytes) = value { return binary(bytes) }
        return clip(value.jsonText, limit: limit)
    }

    static func binary(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(16).map { hexByte($0) }.joined(separator: " ")
        let more = bytes.count > 16 ? " …" : ""
        return "<\(bytes.count) byte\(bytes.count == 1 ? "" : "s")\(bytes.isEmpty ? "" : ": " + shown + more)>"
    }

    static func clip(_ text: String, limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func quoted(_ s: String) -> String { JSONValue.string(s).jsonText }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// Describes `value` when it is a placeholder object: which attachment it stands for.
    static func placeholderNumber(_ value: JSONValue) -> Int64? {
        guard case .object(let o) = value, o["_placeholder"] == .bool(true), case .int(let n)? = o["num"] else { return nil }
        return n
    }
}
