import EngineIOWebSocket
import Testing

@Suite struct HTTPHeadSyntaxTests {
    func lines(_ text: String) -> [String]? {
        Array(text.utf8).withUnsafeBytes { raw in HTTPHeadSyntax.lines(raw)?.map { String(decoding: $0, as: UTF8.self) } }
    }

    func field(_ text: String) -> (String, String)? {
        Array(text.utf8).withUnsafeBytes { raw in HTTPHeadSyntax.field(raw).map { ($0.name, $0.value) } }
    }

    @Test("a head is CRLF lines ending with a blank one")
    func headLines() {
        #expect(lines("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == ["GET / HTTP/1.1", "Host: x"])
        #expect(lines("GET / HTTP/1.1\r\n\r\n") == ["GET / HTTP/1.1"])
        #expect(lines("GET / HTTP/1.1\nHost: x\r\n\r\n") == nil)       // bare LF
        #expect(lines("GET / HTTP/1.1\r\nHost: x\r\n") == nil)         // no blank line
        #expect(lines("GET / HTTP/1.1\r\n\r\nextra") == nil)           // bytes after the head
        #expect(lines("\r\n") == nil)
    }

    @Test("the head's end is found as the bytes arrive, from where the last look stopped")
    func headEnd() {
        func end(_ text: String, from start: Int = 0) -> HTTPHeadSyntax.HeadEnd {
            Array(text.utf8).withUnsafeBytes { HTTPHeadSyntax.headEnd(in: $0, from: start) }
        }
        let head = "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n\r\n"
        #expect(end(head + "frame") == .complete(head.utf8.count))
        #expect(end(String(head.dropLast(1))) == .incomplete)
        // The CR of the last line came in an earlier piece: it still pairs with the LF.
        #expect(end(head, from: head.utf8.count - 1) == .complete(head.utf8.count))
        #expect(end("HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n") == .bareLineFeed)
        #expect(end("\n") == .bareLineFeed)
    }

    @Test("fields: token names, trimmed values, no controls, no folding")
    func fields() {
        #expect(field("Host: example.test")! == ("Host", "example.test"))
        #expect(field("X-A:\t  spaced value \t")! == ("X-A", "spaced value"))
        #expect(field("X-Empty:")! == ("X-Empty", ""))
        #expect(field("X-Obs: caf\u{E9}")! == ("X-Obs", "caf\u{E9}"))
        for bad in [" folded", ": no name", "Bad Name: v", "X-Ctl: a\u{1}b", "X-Del: a\u{7F}", "X-Nul: \u{0}", "no colon"] {
            #expect(field(bad) == nil, "\(bad)")
        }
    }

    @Test("list values split on commas, trimmed and lowercased")
    func lists() {
        #expect(HTTPHeadSyntax.listElements(["keep-alive, Upgrade", "\tTE "]) == ["keep-alive", "upgrade", "te"])
        #expect(HTTPHeadSyntax.isToken("Sec-WebSocket-Key") && !HTTPHeadSyntax.isToken("a b") && !HTTPHeadSyntax.isToken(""))
    }
}
