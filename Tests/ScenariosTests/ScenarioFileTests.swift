import Foundation
import Scenarios
import SocketIOServer
import Testing

@Suite("scenario files")
struct ScenarioFileTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sample.scenario")

    @Test("the sample file reads into the scenario it describes")
    func sample() throws {
        let text = try String(contentsOf: Self.sample, encoding: .utf8)
        let scenario = try ScenarioFile.parse(text, file: "sample.scenario")
        #expect(scenario.name == "sample")
        #expect(scenario.engine.pingInterval == 25_000)
        #expect(scenario.namespaces.count == 3)
        let root = scenario.namespaces[0]
        #expect(root.middleware.map(\.name) == ["log"])
        #expect(root.onConnect.count == 1)
        #expect(Set(root.events.keys) == ["chat", "echo", "ping-ack", "join", "room-say", "shout", "ask", "is-connected"])
        #expect(root.events["join"]?.count == 2)
        let admin = scenario.namespaces[1]
        guard case .name("/admin") = admin.match, case .require(_, let message, let data)? = admin.middleware.first?.rule else {
            Issue.record("admin namespace not read: \(admin)")
            return
        }
        #expect(message == "forbidden")
        #expect(data == ["reason": "no token"])
        #expect(admin.events["delete user"]?.count == 1)
        guard case .regex(#"/ws-\w+"#) = scenario.namespaces[2].match else {
            Issue.record("regex namespace not read")
            return
        }
        // The demo's simulated clients, as data.
        #expect(scenario.clients == Scenario.demo.clients)
        #expect(scenario.clients.map(\.name) == ["ada", "bob", "admin", "intruder", "dynamic"])
    }

    @Test("namespace prefix: a predicate parent")
    func prefixParent() throws {
        let scenario = try ScenarioFile.parse("namespace prefix /team-\n  on connect emit welcome socket.nsp", file: "p.scenario")
        guard case .prefix("/team-") = scenario.namespaces.first?.match else {
            Issue.record("prefix namespace not read: \(String(describing: scenario.namespaces.first?.match))")
            return
        }
        #expect(scenario.namespaces.first?.onConnect.count == 1)
    }

    @Test("a client block: count, auth, transport, repeats; the block ends at the next statement")
    func clientBlock() throws {
        let scenario = try ScenarioFile.parse("""
            client crowd /chat
              count 3
              transport upgrade
              every 250 emit hi "there" tick {"n": 1}
            namespace /chat
            client lone /
            """)
        #expect(scenario.namespaces.count == 1)
        #expect(scenario.clients == [
            ClientSpec("crowd", namespace: "/chat", count: 3, transport: .upgrade,
                       repeats: [.init(every: 250, .emit, "hi", [.literal("there"), .tick, .literal(["n": 1])])]),
            ClientSpec("lone", namespace: "/"),
        ])
        #expect(ClientValue.resolve([.literal("x"), .tick], tick: 7) == ["x", 7])
    }

    @Test("a path is normalized however it is set: in a file, by init, by assignment")
    func paths() throws {
        let scenario = try ScenarioFile.parse("set path engine.io\nnamespace /", file: "p.scenario")
        #expect(scenario.engine.path == "/engine.io/")
        var configuration = EngineServerConfiguration(path: "socket.io")
        #expect(configuration.path == "/socket.io/")
        configuration.path = "/custom"
        #expect(configuration.path == "/custom/")
        #expect(try EngineClientPathCheck.path("http://127.0.0.1:1/engine.io") == "/engine.io/")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { text.split(separator: "\n").last.map(String.init) ?? text }
    }

    @Test("the packet bounds and the CONNECT deadline are settings; unset, they keep the server's defaults")
    func socketSettings() throws {
        let set = try ScenarioFile.parse("set max-attachments 3\nset max-depth 12\nset connect-timeout 5000\nnamespace /")
        #expect(set.socketLimits.maxAttachments == 3 && set.socketLimits.maxDepth == 12 && set.connectTimeout == 5_000)
        #expect(set.serverConfiguration.limits.maxDepth == 12 && set.serverConfiguration.connectTimeout == 5_000)
        let unset = try ScenarioFile.parse("namespace /")
        #expect(unset.socketLimits == SocketLimits() && unset.connectTimeout == SocketIOServerConfiguration().connectTimeout)
    }

    static let bad: [Bad] = [
        Bad(text: "namespace /\non hello emit", line: 2, column: 14, message: "expected the event to emit"),
        Bad(text: "on connect emit hi", line: 1, column: 1, message: "'on' must follow a 'namespace' line"),
        Bad(text: "namespace /\n  use auth require auth.token === 1 else \"x\"", line: 2, column: 31, message: "expected ==, != or exists, found '==='"),
        Bad(text: "namespace /\n  use auth require auth.token == 1 \"x\"", line: 2, column: 36, message: "expected else"),
        Bad(text: "namespace /\n  use auth reject forbidden", line: 2, column: 19, message: "expected the refusal message, in quotes"),
        Bad(text: "namespace /\n  use auth maybe", line: 2, column: 12, message: "unknown rule 'maybe': expected allow, reject, delay or require"),
        Bad(text: "namespace /\n  on x emit y socket.age", line: 2, column: 15, message: "unknown value 'socket.age'"),
        Bad(text: "namespace /\n  on x jump", line: 2, column: 8, message: "unknown action 'jump'"),
        Bad(text: "namespace /\n  on x emit y {\"a\":", line: 2, column: 15, message: "unbalanced brackets"),
        Bad(text: "namespace /\n  on x emit y {\"a\" 1}", line: 2, column: 20, message: "in {\"a\" 1}: expected ':' after the key"),
        Bad(text: "namespace /\n  on x ack {\"sid\": socket.age}", line: 2, column: 20, message: "in {\"sid\": socket.age}: unknown value 'socket.age'"),
        Bad(text: "namespace /\n  on x ack [1, arg0", line: 2, column: 12, message: "unbalanced brackets"),
        Bad(text: "namespace /\n  on x ack bytes(9..2)", line: 2, column: 12, message: "unknown value 'bytes(9..2)'"),
        Bad(text: "namespace /\n  on x ack 0xabc", line: 2, column: 12, message: "unknown value '0xabc'"),
        Bad(text: "namespace /\n  on x ack connected(/a, b, c)", line: 2, column: 12, message: "unknown value 'connected(/a, b, c)'"),
        Bad(text: "namespace /\n  on x if arg0 = 1 ack 1", line: 2, column: 16, message: "expected ==, != or exists, found '='"),
        Bad(text: "namespace /\n  on x if arg0 == ack 1", line: 2, column: 19, message: "expected the JSON value to compare with, found 'ack'"),
        Bad(text: "namespace /\n  use a require auth == {\"t\": arg0} else \"no\"", line: 2, column: 25,
            message: "expected the JSON value to compare with: invalid JSON"),
        Bad(text: "namespace admin", line: 1, column: 11, message: "a namespace name must start with /"),
        Bad(text: "namespace prefix team-", line: 1, column: 18, message: "a prefix starts with /"),
        Bad(text: "namespace regex /(unclosed", line: 1, column: 17, message: "invalid regular expression"),
        Bad(text: "set ping-interval soon\nnamespace /", line: 1, column: 19, message: "expected a positive whole number of milliseconds, found 'soon'"),
        Bad(text: "set colour blue\nnamespace /", line: 1, column: 5, message: "unknown setting 'colour'"),
        Bad(text: "set max-attachments 65\nnamespace /", line: 1, column: 21, message: "expected at most 64 attachments, found 65"),
        Bad(text: "set max-depth 0\nnamespace /", line: 1, column: 15, message: "expected a positive whole number of levels of nesting, found '0'"),
        Bad(text: "set max-depth 513\nnamespace /", line: 1, column: 15, message: "expected at most 512 levels of nesting, found 513"),
        Bad(text: "set connect-timeout soon\nnamespace /", line: 1, column: 21, message: "expected a positive whole number of milliseconds"),
        Bad(text: "listen 3000\nnamespace /", line: 1, column: 1, message: "unknown statement 'listen'"),
        Bad(text: "namespace /\n  on x disconnect now", line: 2, column: 19, message: "unexpected text at the end of the line"),
        Bad(text: "namespace /\n  on x ask q \"a\"", line: 2, column: 17, message: "expected then"),
        Bad(text: "# nothing here\n", line: 2, column: 1, message: "the scenario declares no namespace"),
        Bad(text: "namespace /\nclient a admin", line: 2, column: 10, message: "a namespace name must start with /"),
        Bad(text: "namespace /\nclient a /\n  transport carrier-pigeon", line: 3, column: 13, message: "expected polling, websocket or upgrade, found 'carrier-pigeon'"),
        Bad(text: "namespace /\nclient a /\n  count 5000", line: 3, column: 9, message: "expected at most 1000 clients"),
        Bad(text: "namespace /\nclient a /\n  auth [1]", line: 3, column: 8, message: "expected the auth object"),
        Bad(text: "namespace /\nclient a /\n  every 100 shout x", line: 3, column: 13, message: "expected emit or ask, found 'shout'"),
        Bad(text: "namespace /\nclient a /\n  every 100 emit x socket.id", line: 3, column: 20, message: "expected a JSON value or tick"),
        Bad(text: "namespace /\n  every 100 emit x", line: 2, column: 3, message: "'every' must follow a 'client' line"),
        Bad(text: "namespace /\nclient a /\n  on x ack 1", line: 3, column: 3, message: "'on' must follow a 'namespace' line"),
    ]

    @Test("errors name the file, line, column and what was expected", arguments: bad)
    func errors(_ c: Bad) {
        do {
            _ = try ScenarioFile.parse(c.text, file: "app.scenario")
            Issue.record("accepted: \(c.text)")
        } catch {
            #expect(error.file == "app.scenario")
            #expect(error.line == c.line)
            #expect(error.column == c.column)
            #expect(error.message.hasPrefix(c.message), "\(error.message)")
            #expect(error.description.hasPrefix("app.scenario:\(c.line):\(c.column): "))
        }
    }
}

import EngineIOClient

enum EngineClientPathCheck {
    static func path(_ url: String) throws -> String { try EngineClientConfiguration(url: url).path }
}
