/// The HTTP/1.1 head syntax both sides of the WebSocket handshake read themselves (RFC 9112),
/// strictly: lines end with CRLF, field names are tokens, values are visible characters, spaces
/// and tabs (and obs-text), no line is folded. Byte by byte: a head is read once per connection.
public enum HTTPHeadSyntax {
    /// The lines of a head that ends with its blank line, without their CRLF and without the blank
    /// line; nil when a line ends with a bare LF or the head does not end with a blank line.
    public static func lines(_ head: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer]? {
        var lines: [UnsafeRawBufferPointer] = []
        var start = 0
        for i in 0..<head.count where head[i] == 0x0A {
            guard i > start, head[i - 1] == 0x0D else { return nil }
            lines.append(UnsafeRawBufferPointer(rebasing: head[start..<(i - 1)]))
            start = i + 1
        }
        guard start == head.count, lines.count >= 2, lines.last!.isEmpty else { return nil }
        lines.removeLast()
        return lines
    }

    public enum HeadEnd: Equatable, Sendable {
        case incomplete
        /// The offset just past the blank line that ends the head.
        case complete(Int)
        /// A line ended with LF alone: not a head this syntax reads.
        case bareLineFeed
    }

    /// Where a head arriving in pieces ends, looking from `start` on (what an earlier look saw
    /// need not be seen again; the bytes before it are still read to pair CR with LF).
    public static func headEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> HeadEnd {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A {
                guard i > 0, bytes[i - 1] == 0x0D else { return .bareLineFeed }
                if i >= 3, bytes[i - 2] == 0x0A, bytes[i - 3] == 0x0D { return .complete(i + 1) }
            }
            i += 1
        }
        return .incomplete
    }

    /// "Name: value" into its name as sent and its value without surrounding spaces; nil for a
    /// name that is not a token, a control character in the value, or a folded line.
    public static func field(_ line: UnsafeRawBufferPointer) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0, line[..<colon].allSatisfy(isTokenByte) else {
            return nil
        }
        var valueStart = colon + 1, valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else { return nil }
        return (String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    public static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    public static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// The lowercased elements of comma-separated list values ("keep-alive, Upgrade").
    public static func listElements(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { element in
            var text = element[...]
            while text.first == " " || text.first == "\t" { text.removeFirst() }
            while text.last == " " || text.last == "\t" { text.removeLast() }
            return text.lowercased()
        }
    }
}
