import Foundation
import ProtocolTestSupport
import Testing
@testable import SocketIOProtocol

/// The codec against socket.io's own parser (socket.io-parser, run by Node): what one encodes, the
/// other decodes to the same packet; without floating-point numbers the bytes are identical.
@Suite("Socket.IO codec against the reference parser")
struct ReferenceParserTests {
    /// A running `node Tests/Interop/reference_parser.js`, one request line at a time.
    final class ReferenceParser {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        var buffered = Data()

        init() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let node, FileManager.default.fileExists(atPath: "/usr/share/nodejs/socket.io-parser/package.json") else {
                Issue.record("node and Debian's node-socket.io-parser are needed: run scripts/install-deps")
                throw CocoaError(.fileNoSuchFile)
            }
            process.executableURL = URL(fileURLWithPath: node)
            process.arguments = [root.appendingPathComponent("Tests/Interop/reference_parser.js").path]
            process.environment = ["NODE_PATH": "/usr/share/nodejs"]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
        }

        deinit { process.terminate() }

        func ask(_ request: JSONValue) throws -> JSONValue {
            input.fileHandleForWriting.write(Data((request.jsonText + "\n").utf8))
            while true {
                if let newline = buffered.firstIndex(of: 0x0A) {
                    let line = buffered[buffered.startIndex..<newline]
                    buffered = Data(buffered[(newline + 1)...])
                    return try JSONParser.parse(Array(line))
                }
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw CocoaError(.fileReadUnknown) }
                buffered.append(chunk)
            }
        }
    }

    /// Packets both sides represent the same way: integers within ±2^53 (JavaScript numbers).
    static func packet(_ rng: inout SplitMix64, floats: Bool) -> SocketPacket {
        var packet = Generate.socketPacket(&rng)
        packet.payload = packet.payload.map { javascriptSafe($0, floats: floats) }
        return packet
    }

    static func javascriptSafe(_ value: JSONValue, floats: Bool) -> JSONValue {
        switch value {
        case .int(let i): return .int(i % (1 << 53))
        case .double(let d): return floats ? .double(d) : .int(Int64(d.isFinite ? d.truncatingRemainder(dividingBy: 1e15) : 0))
        case .array(let items): return .array(items.map { javascriptSafe($0, floats: floats) })
        case .object(var object):
            object.updateValues { $0 = javascriptSafe($0, floats: floats) }
            return .object(object)
        default: return value
        }
    }

    /// Numbers compared as JavaScript sees them (an integral double is the integer), and the
    /// peer's `{"_binary":"<base64>"}` read back as binary.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return .int(Int64(d))
        case .object(let o) where o.count == 1:
            if case .string(let b64)? = o["_binary"], let bytes = try? Base64.decode(b64) { return .binary(bytes) }
            return .object(JSONObject([(o.keys[0], normalized(o.values.first!))]))
        case .array(let items): return .array(items.map(normalized))
        case .object(var object):
            object.updateValues { $0 = normalized($0) }
            return .object(object)
        default: return value
        }
    }

    /// The packet as the reference parser's JSON form.
    static func referenceForm(_ packet: SocketPacket) -> JSONValue {
        var object = JSONObject()
        object["type"] = .int(Int64(packet.type.rawValue))
        object["nsp"] = .string(packet.namespace)
        if let id = packet.id { object["id"] = .int(Int64(id)) }
        if let payload = packet.payload { object["data"] = payload }
        return .object(object)
    }

    static func parts(_ encoded: EncodedSocketPacket) -> JSONValue {
        .array([.string(encoded.text)] + encoded.attachments.map { .binary($0) })
    }

    @Test("without floating point, both encoders write the same bytes")
    func sameBytes() throws {
        let reference = try ReferenceParser()
        var rng = SplitMix64(seed: propertySeed(0x5EED_0401))
        for i in 0..<400 {
            let packet = Self.packet(&rng, floats: false)
            let ours = try SocketPacketEncoder.encode(packet)
            let theirs = try reference.ask(["op": "encode", "packet": Self.referenceForm(packet)])
            guard theirs["parts"].map(Self.normalized) == Self.parts(ours) else {
                Issue.record("iteration \(i): ours \(Self.parts(ours).jsonText), reference \(theirs.jsonText)")
                return
            }
        }
    }

    @Test("what we encode, the reference decodes to the same packet; and the other way round")
    func decodeEachOther() throws {
        let reference = try ReferenceParser()
        var rng = SplitMix64(seed: propertySeed(0x5EED_0402))
        for i in 0..<400 {
            let packet = Self.packet(&rng, floats: true)
            let ours = try SocketPacketEncoder.encode(packet)
            let decoded = try reference.ask(["op": "decode", "parts": Self.parts(ours)])
            var expected = packet
            if packet.binaryCount > 0 { expected.type = packet.type == .event ? .binaryEvent : packet.type == .ack ? .binaryAck : packet.type }
            guard let theirPacket = decoded["packet"], Self.normalized(theirPacket) == Self.normalized(Self.referenceForm(expected)) else {
                Issue.record("iteration \(i): reference decoded \(ours.text) as \(decoded.jsonText)")
                return
            }
            let theirs = try reference.ask(["op": "encode", "packet": Self.referenceForm(packet)])
            var decoder = SocketPacketDecoder()
            let items = try #require(theirs["parts"]?.arrayValue)
            var result = try decoder.decode(text: try #require(items.first?.stringValue))
            for part in items.dropFirst() {
                guard case .binary(let bytes) = Self.normalized(part) else { throw CocoaError(.coderInvalidValue) }
                result = try decoder.decode(binary: bytes)
            }
            guard case .packet(let mine) = result,
                  Self.normalized(Self.referenceForm(mine)) == Self.normalized(Self.referenceForm(expected)) else {
                Issue.record("iteration \(i): we decoded the reference's \(theirs.jsonText) as \(result)")
                return
            }
        }
    }

    // socket.io-parser 4.2.1 (Debian's) predates the reserved-name check of later releases, so
    // `2["connect"]` is refused by us and by current socket.io-parser, but not by this build.
    @Test("both refuse the same bad inputs", arguments: [
        "5[\"a\"]", "2admin,[\"a\"]", "2[\"a\"", "2{\"a\":1}", "2[]", "3{}", "9",
    ])
    func sameRefusals(_ text: String) throws {
        let reference = try ReferenceParser()
        let theirs = try reference.ask(["op": "decode", "parts": [.string(text)]])
        #expect(theirs["error"] != nil, "the reference accepted \(text): \(theirs.jsonText)")
        var decoder = SocketPacketDecoder()
        #expect(throws: SocketDecodeError.self) { try decoder.decode(text: text) }
    }
}
