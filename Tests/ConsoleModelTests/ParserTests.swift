import ConsoleModel
import ConsoleTestSupport
import Testing

@Suite struct CommandParserTests {
    @Test(arguments: [
        ("", 1, "empty command; try emit, reject, spawn, save, theme"),
        ("frobnicate", 1, "unknown command 'frobnicate'; try emit, spawn, reject, allow, save, theme, help"),
        ("emit", 5, "which event? emit [to TARGET] EVENT [JSON args]"),
        ("emit hi hello", 9, "not JSON: unexpected 'h' in JSON (text needs quotes: \"hello\")"),
        ("emit hi {\"a\":1", 9, "unclosed bracket: 1 more '}' or ']' needed"),
        ("emit hi \"open", 9, "unterminated string: add the closing \""),
        ("emit hi ]", 9, "']' closes nothing"),
        ("emit connect", 6, "'connect' is reserved by Socket.IO and cannot be emitted"),
        ("emit hi --binary 0g", 18, "'0g' is not hex bytes (an even number of 0-9a-f)"),
        ("emit hi --timeout 0", 9, "--timeout takes seconds, 0 < S <= 600"),
        ("emit hi --loud", 9, "unknown option --loud"),
        ("spawn many /", 7, "N is a number from 1 to 1000"),
        ("spawn 2 admin", 9, "a namespace starts with / (like /admin)"),
        ("connect / --auth [1]", 18, "--auth must be a JSON object, like {\"token\":\"secret\"}"),
        ("connect / --transport carrier", 11, "--transport is polling or websocket"),
        ("delay /a mw soon", 13, "a duration like 500ms or 2s (at most 60s)"),
        ("reject /a mw msg {} extra", 21, "too many words; quote a message with spaces"),
        ("filter dir:up", 8, "dir: is in or out"),
    ] as [(String, Int, String)])
    func refusals(line: String, column: Int, message: String) {
        #expect(throws: CommandError(column: column, message)) { try CommandParser.parse(line) }
    }

    @Test func jsonWordsKeepTheirSpaces() throws {
        let tokens = try CommandTokenizer.tokenize(#"emit  "a b" {"x": [1, 2]}  "q\"uote""#)
        #expect(tokens.map(\.text) == ["emit", #""a b""#, #"{"x": [1, 2]}"#, #""q\"uote""#])
        #expect(tokens.map(\.column) == [1, 7, 13, 28])
    }

    @Test func emitGrammar() throws {
        let command = try CommandParser.parse(#"emit client c2 "big news" {"n":1} [true] null --ack"#)
        guard case .emit(let emit) = command else {
            Issue.record("not an emit")
            return
        }
        #expect(emit.source == .client("c2"))
        #expect(emit.event == "big news")
        #expect(emit.arguments == [["n": 1], [true], .null])
        #expect(emit.ack)
    }
}

@Suite struct PacketFilterTests {
    static let records: [PacketRecord] = {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .trace([
            Fixtures.event("chat", ["Hello"], sid: "sidA"),
            Fixtures.event("chatter", ["x"], nsp: "/admin", sid: "sidC", direction: .outbound),
            Fixtures.ping(sid: "sidB"),
            Fixtures.ack([1], id: 4, direction: .outbound),
        ], time: 1))
        return state.packets.elements
    }()

    func matching(_ text: String) throws -> [Int] {
        let filter = try PacketFilter.parse(text)
        return Self.records.enumerated().filter { filter.matches($0.element) }.map(\.offset)
    }

    @Test func fields() throws {
        #expect(try matching("") == [0, 1, 2, 3])
        #expect(try matching("nsp:/admin") == [1])
        #expect(try matching("ns:/adm*") == [1])
        #expect(try matching("dir:out") == [1, 2, 3])
        #expect(try matching("dir:in|out !type:ping") == [0, 1, 3])
        #expect(try matching("type:event") == [0, 1])
        #expect(try matching("type:ack") == [3])
        #expect(try matching("ev:chat") == [0])
        #expect(try matching("ev:chat*") == [0, 1])
        #expect(try matching("sid:sidB") == [2])
        #expect(try matching("layer:eio") == [2])
        #expect(try matching("side:client") == [])
    }

    @Test func textSearchIsSmartCase() throws {
        #expect(try matching("hello") == [0])
        #expect(try matching("Hello") == [0])
        #expect(try matching("HELLO") == [])
        #expect(try matching("!chat") == [2, 3])
    }

    @Test(arguments: [("bogus:1", 1), ("!", 1), ("type:", 1), ("chat layer:tcp", 6), ("side:both", 1)])
    func refusals(text: String, column: Int) {
        #expect(performing: { try PacketFilter.parse(text) }, throws: { ($0 as? PacketFilter.ParseError)?.column == column })
    }
}
