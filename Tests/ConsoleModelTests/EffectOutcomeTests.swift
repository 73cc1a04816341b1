import ConsoleModel
import ConsoleTestSupport
import Testing

/// Effects report typed outcomes; the reducer keeps them and makes the status line from them.
@Suite("effect outcomes")
struct EffectOutcomeTests {
    static let table: [(EffectOutcome, String, Bool)] = [
        (.emitted(event: "chat", client: nil, target: "/", count: 2), #"emitted "chat" to /: 2 sockets"#, false),
        (.emitted(event: "chat", client: nil, target: "X1", count: nil), #"emitted "chat" to X1"#, false),
        (.emitted(event: "hi", client: "c1", target: nil, count: nil), #"c1 emitted "hi""#, false),
        (.acked(event: "q", client: "c1", from: nil, reply: [5]), "ack from the server to c1: [5]", false),
        (.acked(event: "q", client: nil, from: "X1", reply: ["ok", 1]), #"ack from X1: ["ok",1]"#, false),
        (.ackFailed(event: "q", peer: "c2", reason: "timed out"), #""q" and c2: no ack (timed out)"#, true),
        (.spawning(names: ["c6", "c7"], namespace: "/"), "spawning c6, c7 into /", false),
        (.clientConnected(name: "c6", namespace: "/", socketID: "abc"), "c6 connected to / as abc", false),
        (.clientRefused(name: "c4", namespace: "/admin", message: "forbidden", data: ["reason": "no token"]),
         #"c4 → /admin refused: forbidden {"reason":"no token"}"#, true),
        (.disconnected(id: "X1", namespace: "/"), "disconnected X1 from /", false),
        (.disconnected(id: "c1", namespace: nil), "c1 disconnected", false),
        (.joined(id: "X1", room: "red"), "X1 joined red", false),
        (.left(id: "X1", room: "red"), "X1 left red", false),
        (.saved(path: "/tmp/t.jsonl", lines: 3), "saved 3 trace lines to /tmp/t.jsonl", false),
        (.overridden(scope: "/admin", middleware: ["auth"], verdict: .reject(message: "no", data: ["code": 7])),
         #"/admin auth: forced to reject "no" {"code":7}"#, false),
        (.overridden(scope: "/admin", middleware: ["auth"], verdict: .delay(milliseconds: 500)), "/admin auth: delayed 500 ms", false),
        (.overridden(scope: "/admin", middleware: ["auth", "log"], verdict: nil), "/admin auth, log: back to its own rule", false),
        (.failed("no namespace /x"), "no namespace /x", true),
    ]

    @Test("each outcome's status line and whether it is an error", arguments: 0..<table.count)
    func text(_ index: Int) {
        let (outcome, text, isError) = Self.table[index]
        #expect(outcome.text == text)
        #expect(outcome.isError == isError)
    }

    @Test("the reducer keeps the outcome and shows its line")
    func reduce() {
        var state = Fixtures.state()
        let outcome = EffectOutcome.acked(event: "q", client: "c1", from: nil, reply: [5])
        #expect(Reducer.reduce(&state, .outcome(outcome)).isEmpty)
        #expect(state.outcomes.last == outcome)
        #expect(state.status == StatusMessage("ack from the server to c1: [5]"))
        _ = Reducer.reduce(&state, .outcome(.failed("boom")))
        #expect(state.status == StatusMessage("boom", isError: true))
    }
}
