/// The packets pane's filter: space-separated tokens, all of which must match.
///
///     nsp:/admin  sid:Zx3a  dir:in|out  type:event  ev:chat*  side:server|client  layer:eio|sio
///     !type:ping      a leading ! negates any token
///     hello           a bare word is searched in event name and summary (case-insensitive
///                     unless it has a capital letter)
public struct PacketFilter: Sendable, Hashable {
    public struct Term: Sendable, Hashable {
        public enum Field: String, Sendable, CaseIterable {
            case namespace = "nsp", sid, direction = "dir", type, event = "ev", side, layer, text
        }
        public var field: Field
        public var value: String
        public var negated: Bool
    }

    public var terms: [Term]
    public var text: String

    public static let none = PacketFilter(terms: [], text: "")
    public var isEmpty: Bool { terms.isEmpty }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var column: Int
        public var message: String
        public var description: String { "column \(column): \(message)" }
    }

    static let aliases: [String: Term.Field] = ["ns": .namespace, "nsp": .namespace, "sid": .sid, "dir": .direction,
                                                "type": .type, "ev": .event, "event": .event, "side": .side, "layer": .layer]

    public static func parse(_ text: String) throws(ParseError) -> PacketFilter {
        var terms: [Term] = []
        var column = 1
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            defer { column += word.count + 1 }
            if word.isEmpty { continue }
            var body = Substring(word)
            let negated = body.hasPrefix("!")
            if negated { body = body.dropFirst() }
            guard !body.isEmpty else { throw ParseError(column: column, message: "'!' needs a term after it") }
            if let colon = body.firstIndex(of: ":"), colon != body.startIndex {
                let key = String(body[..<colon])
                let value = String(body[body.index(after: colon)...])
                guard let field = aliases[key.lowercased()] else {
                    throw ParseError(column: column, message: "unknown field '\(key):' (nsp, sid, dir, type, ev, side, layer)")
                }
                guard !value.isEmpty else { throw ParseError(column: column, message: "'\(key):' needs a value") }
                if field == .direction, !value.split(separator: "|").allSatisfy({ $0 == "in" || $0 == "out" }) {
                    throw ParseError(column: column, message: "dir: is in or out")
                }
                if field == .side, !value.split(separator: "|").allSatisfy({ $0 == "server" || $0 == "client" }) {
                    throw ParseError(column: column, message: "side: is server or client")
                }
                if field == .layer, !value.lowercased().split(separator: "|").allSatisfy({ ["eio", "sio", "lifecycle"].contains($0) }) {
                    throw ParseError(column: column, message: "layer: is eio, sio or lifecycle")
                }
                terms.append(Term(field: field, value: value, negated: negated))
            } else {
                terms.append(Term(field: .text, value: String(body), negated: negated))
            }
        }
        return PacketFilter(terms: terms, text: text)
    }

    public func matches(_ record: PacketRecord) -> Bool {
        terms.allSatisfy { term in term.matches(record) != term.negated }
    }
}

extension PacketFilter.Term {
    func matches(_ r: PacketRecord) -> Bool {
        let alternatives = value.split(separator: "|").map(String.init)
        switch field {
        case .namespace: return alternatives.contains { glob($0, r.namespace ?? "", caseless: false) }
        case .sid: return alternatives.contains { r.sid.hasPrefix($0) }
        case .direction: return alternatives.contains { $0 == r.direction?.rawValue }
        case .type:
            return alternatives.contains { alt in
                let wanted = alt.lowercased().replacingUnderscores
                return r.type.lowercased().replacingUnderscores == wanted
                    || (wanted == "event" && r.kind.isEvent) || (wanted == "ack" && r.kind.isAck)
            }
        case .event: return alternatives.contains { glob($0, r.eventName ?? "", caseless: false) }
        case .side: return alternatives.contains { $0 == r.side.rawValue }
        case .layer:
            return alternatives.contains { alt in
                switch alt.lowercased() {
                case "eio": return r.layer == .engine
                case "sio": return r.layer == .socket
                default: return r.layer == .lifecycle
                }
            }
        case .text:
            let caseless = value == value.lowercased()
            let haystack = (r.eventName ?? "") + " " + r.summary
            return caseless ? haystack.lowercased().contains(value) : haystack.contains(value)
        }
    }

    /// `*` matches any run of characters; everything else is literal.
    func glob(_ pattern: String, _ text: String, caseless: Bool) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

extension String {
    var replacingUnderscores: String { filter { $0 != "_" && $0 != "-" } }
}
