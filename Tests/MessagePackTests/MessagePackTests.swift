import MessagePack
import Testing
import WireJSON

/// Golden vectors written by python's msgpack (`packb(value, use_bin_type=True)`), the format
/// socket.io's Redis adapter and emitter use (notepack.io): each decodes to the value and the
/// value encodes back to the same bytes.
@Suite struct MessagePackTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var hex: String
        var value: JSONValue
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "nil", hex: "c0", value: .null),
        Vector(name: "true", hex: "c3", value: true),
        Vector(name: "false", hex: "c2", value: false),
        Vector(name: "fixint", hex: "05", value: 5),
        Vector(name: "negative fixint", hex: "fd", value: -3),
        Vector(name: "uint8", hex: "ccc8", value: 200),
        Vector(name: "uint16", hex: "cd9c40", value: 40000),
        Vector(name: "uint32", hex: "ce00011170", value: 70000),
        Vector(name: "uint64", hex: "cf0000010000000000", value: .int(1 << 40)),
        Vector(name: "int8", hex: "d09c", value: -100),
        Vector(name: "int16", hex: "d1fc18", value: -1000),
        Vector(name: "int32", hex: "d2fffe7960", value: -100000),
        Vector(name: "int64", hex: "d3ffffff0000000000", value: .int(-(1 << 40))),
        Vector(name: "float64", hex: "cb3ff8000000000000", value: 1.5),
        Vector(name: "fixstr", hex: "a568656c6c6f", value: "hello"),
        Vector(name: "str8", hex: "d928" + String(repeating: "78", count: 40), value: .string(String(repeating: "x", count: 40))),
        Vector(name: "bin8", hex: "c403010203", value: .binary([1, 2, 3])),
        Vector(name: "fixarray", hex: "9301a161c0", value: [1, "a", .null]),
        Vector(name: "fixmap", hex: "83a5726f6f6d7391a27231a665786365707490a5666c61677380",
               value: ["rooms": ["r1"], "except": [], "flags": [:]]),
        Vector(name: "an emitter's broadcast",
               hex: "93a7656d697474657283a47479706502a46461746192a46368617481a474657874a26869a36e7370a12f82a5726f6f6d7391a5726f6f6d31a5666c61677380",
               value: ["emitter", ["type": 2, "data": ["chat", ["text": "hi"]], "nsp": "/"], ["rooms": ["room1"], "flags": [:]]]),
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let next = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<next], radix: 16)!)
            i = next
        }
        return out
    }

    @Test(arguments: vectors)
    func decodesAndEncodesTheGoldenBytes(_ vector: Vector) throws {
        let bytes = Self.bytes(vector.hex)
        #expect(try MessagePackDecoder.decode(bytes) == vector.value)
        #expect(MessagePackEncoder.encode(vector.value) == bytes)
    }

    @Test func lengthsAtEachHeaderBoundaryRoundTrip() throws {
        for count in [0, 15, 16, 31, 32, 255, 256, 65_535, 65_536] {
            let string = JSONValue.string(String(repeating: "é", count: count / 2) + String(repeating: "a", count: count % 2))
            let binary = JSONValue.binary(Array(repeating: 7, count: count))
            let array = JSONValue.array(Array(repeating: 1, count: min(count, 70_000)))
            for value in [string, binary, array] {
                #expect(try MessagePackDecoder.decode(MessagePackEncoder.encode(value)) == value)
            }
        }
        for n: Int64 in [0, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, .max,
                         -1, -32, -33, -128, -129, -32_768, -32_769, -2_147_483_648, -2_147_483_649, .min] {
            #expect(try MessagePackDecoder.decode(MessagePackEncoder.encode(.int(n))) == .int(n), "\(n)")
        }
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var hex: String
        var offset: Int
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(hex: "", offset: 0, message: "the value ends early"),
        Bad(hex: "c1", offset: 0, message: "0xc1 is never used in MessagePack"),
        Bad(hex: "a5686921", offset: 1, message: "a length of 5 runs past the end (3 bytes left)"),
        Bad(hex: "c6ffffffff00", offset: 5, message: "a length of 4294967295 runs past the end (1 bytes left)"),
        Bad(hex: "ddffffffff", offset: 0, message: "4294967295 elements cannot fit in 0 bytes"),
        Bad(hex: "81", offset: 0, message: "1 entries cannot fit in 0 bytes"),
        Bad(hex: "81a161", offset: 3, message: "the value ends early"),
        Bad(hex: "810101", offset: 1, message: "a map key that is not a string"),
        Bad(hex: "82a16101a16102", offset: 4, message: "the key \"a\" twice in one map"),
        Bad(hex: "a2c328", offset: 0, message: "a string that is not UTF-8"),
        Bad(hex: "c0c0", offset: 1, message: "1 bytes after the value"),
        Bad(hex: "d40100", offset: 0, message: "extension type 1 is not read here"),
        Bad(hex: "c70100", offset: 0, message: "extension types (0xc7) are not read here"),
        Bad(hex: String(repeating: "91", count: 65) + "c0", offset: 64, message: "nested deeper than 64"),
    ]

    @Test(arguments: bad)
    func badBytesSayWhereAndWhy(_ bad: Bad) {
        #expect(throws: MessagePackError(offset: bad.offset, message: bad.message)) {
            try MessagePackDecoder.decode(Self.bytes(bad.hex))
        }
    }

    @Test func notepacksUndefinedReadsAsNull() throws {
        #expect(try MessagePackDecoder.decode([0x91, 0xd4, 0x00, 0x00]) == [.null])
    }
}
