import Foundation
import NIOConcurrencyHelpers
import Scenarios
import SocketIOClient
import SocketIOServer
import Testing

/// The value vocabulary of scenario files: objects and arrays built from values, binary, connected()
/// in another namespace, and `if` guards; read into values (tables), then run over the wire.
@Suite("scenario values and guards")
struct ScenarioValueTests {
    /// The first action of `on x` in `line`, as read.
    static func action(_ line: String) throws -> Action {
        let scenario = try ScenarioFile.parse("namespace /\n  on x \(line)")
        return try #require(scenario.namespaces[0].events["x"]?.first)
    }

    static func ackValues(_ line: String) throws -> [Value] {
        guard case .ack(let values) = try action(line) else { throw ScenarioError.notAnAck }
        return values
    }

    enum ScenarioError: Error { case notAnAck }

    @Test("literal objects, arrays and binary fold into JSON values", arguments: [
        ("ack {\"a\": [1, true, null], \"b\": \"x\"}", JSONValue.object(["a": [1, true, .null], "b": "x"])),
        ("ack [ 1 , \"two\" , [] , {} ]", JSONValue.array([1, "two", [], .object([:])])),
        ("ack 0x0001feff", JSONValue.binary([0x00, 0x01, 0xfe, 0xff])),
        ("ack bytes(0..255)", JSONValue.binary(Array(0...255))),
        ("ack bytes(7..7)", JSONValue.binary([7])),
        ("ack {\"blob\": 0xcafe}", JSONValue.object(["blob": .binary([0xca, 0xfe])])),
    ])
    func literals(_ line: String, _ expected: JSONValue) throws {
        let values = try Self.ackValues(line)
        #expect(values.count == 1)
        #expect(values.first?.literalValue == expected)
    }

    @Test("templates with values inside keep their shape")
    func templates() throws {
        let values = try Self.ackValues(#"ack {"sid": socket.id, "list": [arg0, "lit", auth.user], "up": connected(/admin, arg1)}"#)
        guard case .object(let fields)? = values.first else { Issue.record("not an object: \(values)"); return }
        #expect(fields.map(\.key) == ["sid", "list", "up"])
        guard case .socketID = fields[0].value, case .array(let items) = fields[1].value,
              case .isConnectedIn(let namespace, let id) = fields[2].value else { Issue.record("fields: \(fields)"); return }
        #expect(items.count == 3)
        #expect(items[1].literalValue == "lit")
        #expect(namespace.literalValue == "/admin")
        guard case .argument(1) = id else { Issue.record("id: \(id)"); return }
    }

    @Test("an if guard wraps the action with its condition")
    func guards() throws {
        guard case .when(let condition, .ack(let values)) = try Self.action(#"if arg0 == "x" ack "picked""#),
              case .argument(0) = condition.value, case .equals("x") = condition.test else {
            Issue.record("not a guarded ack")
            return
        }
        #expect(values.first?.literalValue == "picked")
        guard case .when(let exists, .emit(event: "y", _)) = try Self.action("if auth.token exists emit y"),
              case .exists = exists.test else {
            Issue.record("not a guarded emit")
            return
        }
    }

    static let scenario = """
    namespace /
      on who ack {"sid": socket.id, "nsp": socket.nsp, "auth": auth, "transport": socket.transport, "n": [socket.count, arg0]}
      on blob ack 0x0001feff bytes(250..255)
      on is-admin ack connected(/admin, arg0) connected(/, arg0)
      on pick if arg0 == "x" ack "picked x"
      on pick if arg0 != "x" ack "not x"
    namespace /admin
    """

    @Test("over the wire: built objects, binary, connected in another namespace, guarded acks")
    func overTheWire() async throws {
        let (io, engines) = try ScenarioRuntime.build(try ScenarioFile.parse(Self.scenario, file: "values.scenario"), trace: nil)
        let http = try await EngineHTTPServer.start(servers: engines)
        defer { Task { await http.shutdown() } }
        let manager = SocketManager(configuration: EngineClientConfiguration(host: "127.0.0.1", port: http.port!, mode: .websocket),
                                    reconnection: ReconnectionOptions(enabled: false))
        defer { manager.close() }
        let main = manager.socket()
        let id = try await main.connect(auth: ["user": "ada"])
        let admin = manager.socket("/admin")
        let adminID = try await admin.connect()
        #expect(try await main.emitWithAck("who", ["first"]) == [.object([
            "sid": .string(id), "nsp": "/", "auth": ["user": "ada"], "transport": "websocket", "n": [1, "first"]])])
        #expect(try await main.emitWithAck("blob") == [.binary([0, 1, 0xfe, 0xff]), .binary(Array(250...255))])
        #expect(try await main.emitWithAck("is-admin", [.string(adminID)]) == [true, false])
        #expect(try await main.emitWithAck("is-admin", [.string(id)]) == [false, true])
        #expect(try await main.emitWithAck("pick", ["x"]) == ["picked x"])
        #expect(try await main.emitWithAck("pick", ["y"]) == ["not x"])
        #expect(io.namespaceNames == ["/", "/admin"])
    }
}
