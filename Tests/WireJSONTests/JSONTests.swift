import Testing
import ProtocolTestSupport
@testable import WireJSON

@Suite("JSON parser and writer")
struct JSONTests {
    @Test("writer output parses back to the same value")
    func roundTrip() throws {
        let seed = propertySeed(0x5EED_0201)
        var rng = SplitMix64(seed: seed)
        for i in 0..<3_000 {
            let value = Generate.json(&rng, depth: 5, binary: false)
            let text = value.jsonText
            guard try JSONParser.parse(text) == value else {
                Issue.record("seed \(seed) iteration \(i): \(text)")
                return
            }
        }
    }

    @Test("strings are escaped as JSON.stringify escapes them")
    func escaping() {
        #expect(JSONValue.string("a\"b\\c/").jsonText == #""a\"b\\c/""#)
        #expect(JSONValue.string("\u{08}\u{0C}\n\r\t\u{00}\u{1F}\u{1E}").jsonText == #""\b\f\n\r\t\u0000\u001f\u001e""#)
        #expect(JSONValue.string("é😀\u{2028}\u{7F}").jsonText == "\"é😀\u{2028}\u{7F}\"")
    }

    @Test("numbers: integers stay exact, other numbers are doubles, non-finite become null")
    func numbers() throws {
        #expect(try JSONParser.parse("9007199254740991") == .int(9_007_199_254_740_991))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("1.5e3") == .double(1500))
        #expect(try JSONParser.parse("-0") == .double(-0.0))
        #expect(try JSONParser.parse("0.000001") == .double(0.000001))
        // Like JSON.parse: too large a number is Infinity, which JSON.stringify writes as null.
        #expect(try JSONParser.parse("1e400") == .double(.infinity))
        #expect(JSONValue.double(.infinity).jsonText == "null")
        #expect(JSONValue.double(.nan).jsonText == "null")
        #expect(JSONValue.int(-42).jsonText == "-42")
        #expect(JSONValue.int(Int64.min).jsonText == "-9223372036854775808")
    }

    @Test("objects keep key order; a repeated key keeps its place and takes the last value")
    func objects() throws {
        let parsed = try JSONParser.parse(#"{"b":1,"a":2,"b":3}"#)
        #expect(parsed.objectValue?.keys == ["b", "a"])
        #expect(parsed["b"] == .int(3))
        // Past 16 keys the parser indexes keys; duplicates still resolve the same way.
        let many = "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k3\":99}"
        let big = try JSONParser.parse(many)
        #expect(big.objectValue?.count == 40)
        #expect(big["k3"] == .int(99))
        #expect(big.objectValue?.keys.first == "k0")
    }

    @Test("white space around and inside values is accepted")
    func whitespace() throws {
        #expect(try JSONParser.parse(" \t\n[ 1 , {\"a\" : null } ]\r\n") == [1, ["a": nil]])
    }

    @Test("binary values are written as placeholders or tagged base64")
    func binaryStyles() {
        var wire = JSONWriter(binaryStyle: .placeholders)
        wire.write(["a", .binary([1]), ["x": .binary([2, 3])]])
        #expect(String(decoding: wire.bytes, as: UTF8.self)
            == #"["a",{"_placeholder":true,"num":0},{"x":{"_placeholder":true,"num":1}}]"#)
        #expect(wire.attachments == [[1], [2, 3]])
        #expect(JSONValue.binary([1, 2, 3, 4]).jsonText == #"{"_binary":"AQIDBA=="}"#)
    }

    @Test("nesting is limited; the limit is a setting")
    func depth() throws {
        let nested = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: JSONError(.tooDeep(limit: 9), at: 9)) { try JSONParser.parse(nested, limits: JSONLimits(maxDepth: 9)) }
        #expect(try JSONParser.parse(nested, limits: JSONLimits(maxDepth: 10)) != .null)
        // Far past the default limit: refused, not a stack overflow.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONError(.tooDeep(limit: 64), at: 64)) { try JSONParser.parse(hostile) }
    }

    @Test("no limit allows more than 512 levels: the deepest value parses, is written and released on a test thread")
    func deepestLimit() throws {
        #expect(JSONLimits(maxDepth: 1_000_000).maxDepth == 512)
        #expect(JSONLimits(maxDepth: 0).maxDepth == 1)
        var limits = JSONLimits()
        limits.maxDepth = 100_000
        #expect(limits.maxDepth == 512)
        // Asked for a million levels, a 100,000-deep input is refused at 512, not followed down.
        #expect(throws: JSONError(.tooDeep(limit: 512), at: 512)) {
            try JSONParser.parse(String(repeating: "[", count: 100_000), limits: JSONLimits(maxDepth: 1_000_000))
        }
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let value = try JSONParser.parse(deepest, limits: JSONLimits(maxDepth: 512))
        #expect(value.jsonText == deepest)
    }
}

@Suite("Base64 and UTF-8 checking")
struct Base64AndUTF8Tests {
    @Test("RFC 4648 vectors", arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                                         ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func vectors(_ plain: String, _ encoded: String) throws {
        #expect(Base64.encodeToString(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("unpadded input is accepted")
    func unpadded() throws {
        #expect(try Base64.decode("Zm8") == Array("fo".utf8))
        #expect(try Base64.decode("AQIDBA") == [1, 2, 3, 4])
    }

    @Test("random bytes round-trip")
    func roundTrip() throws {
        var rng = SplitMix64(seed: propertySeed(0x5EED_0301))
        for _ in 0..<2_000 {
            let bytes = Generate.bytes(&rng, maxLength: 64)
            #expect(try Base64.decode(Base64.encodeToString(bytes)) == bytes)
        }
    }

    @Test("the UTF-8 checker agrees with the standard library on random bytes")
    func utf8AgreesWithStandardLibrary() {
        var rng = SplitMix64(seed: propertySeed(0x5EED_0302))
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...6, using: &rng)).map { _ in interesting.randomElement(using: &rng)! }
            let ours = UTF8Validation.firstInvalidOffset(in: bytes) == nil
            let theirs = String(validating: bytes, as: UTF8.self) != nil
            guard ours == theirs else {
                Issue.record("disagree on \(bytes): ours valid=\(ours), standard library valid=\(theirs)")
                return
            }
        }
    }
}
