import WireJSON

/// Why bytes are not one MessagePack value this project reads: where, and what was wrong.
public struct MessagePackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset of the problem.
    public var offset: Int
    public var message: String
    public var description: String { "byte \(offset): \(message)" }

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}

/// Reads one MessagePack value into a `JSONValue`, strictly: every length is checked against
/// the bytes left before anything is allocated, nesting is bounded, map keys must be strings (as
/// in every message socket.io's adapter and emitter write) and unique, strings must be UTF-8, and
/// nothing may follow the value. notepack.io's `undefined` (fixext 1, type 0) reads as null.
public struct MessagePackDecoder {
    public static let defaultMaxDepth = 64

    public static func decode(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(MessagePackError) -> JSONValue {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        let value = try reader.value(depth: 0)
        guard reader.offset == bytes.count else {
            throw MessagePackError(offset: reader.offset, message: "\(bytes.count - reader.offset) bytes after the value")
        }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        let maxDepth: Int
        var offset = 0

        func fail(_ message: String, at position: Int? = nil) -> MessagePackError {
            MessagePackError(offset: position ?? offset, message: message)
        }

        mutating func byte() throws(MessagePackError) -> UInt8 {
            guard offset < bytes.count else { throw fail("the value ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func bigEndian<T: FixedWidthInteger>(_: T.Type) throws(MessagePackError) -> T {
            let size = MemoryLayout<T>.size
            guard bytes.count - offset >= size else { throw fail("the value ends early") }
            var value: T = 0
            for i in 0..<size { value = value << 8 | T(bytes[offset + i]) }
            offset += size
            return value
        }

        mutating func take(_ count: Int) throws(MessagePackError) -> ArraySlice<UInt8> {
            guard count <= bytes.count - offset else { throw fail("a length of \(count) runs past the end (\(bytes.count - offset) bytes left)") }
            defer { offset += count }
            return bytes[offset ..< offset + count]
        }

        mutating func value(depth: Int) throws(MessagePackError) -> JSONValue {
            let start = offset
            let tag = try byte()
            switch tag {
            case 0x00...0x7f: return .int(Int64(tag))
            case 0xe0...0xff: return .int(Int64(Int8(bitPattern: tag)))
            case 0x80...0x8f: return try map(count: Int(tag & 0x0f), depth: depth, at: start)
            case 0x90...0x9f: return try array(count: Int(tag & 0x0f), depth: depth, at: start)
            case 0xa0...0xbf: return try string(count: Int(tag & 0x1f), at: start)
            case 0xc0: return .null
            case 0xc2: return .bool(false)
            case 0xc3: return .bool(true)
            case 0xc4: return .binary(Array(try take(Int(try byte()))))
            case 0xc5: return .binary(Array(try take(Int(try bigEndian(UInt16.self)))))
            case 0xc6: return .binary(Array(try take(Int(try bigEndian(UInt32.self)))))
            case 0xca: return .double(Double(Float(bitPattern: try bigEndian(UInt32.self))))
            case 0xcb: return .double(Double(bitPattern: try bigEndian(UInt64.self)))
            case 0xcc: return .int(Int64(try byte()))
            case 0xcd: return .int(Int64(try bigEndian(UInt16.self)))
            case 0xce: return .int(Int64(try bigEndian(UInt32.self)))
            case 0xcf:
                let n = try bigEndian(UInt64.self)
                // Past Int64 a JavaScript peer has a double anyway.
                return n <= UInt64(Int64.max) ? .int(Int64(n)) : .double(Double(n))
            case 0xd0: return .int(Int64(Int8(bitPattern: try byte())))
            case 0xd1: return .int(Int64(Int16(bitPattern: try bigEndian(UInt16.self))))
            case 0xd2: return .int(Int64(Int32(bitPattern: try bigEndian(UInt32.self))))
            case 0xd3: return .int(Int64(bitPattern: try bigEndian(UInt64.self)))
            case 0xd4:
                let (type, data) = (try byte(), try byte())
                guard type == 0, data == 0 else { throw fail("extension type \(Int8(bitPattern: type)) is not read here", at: start) }
                return .null   // notepack.io's undefined
            case 0xd9: return try string(count: Int(try byte()), at: start)
            case 0xda: return try string(count: Int(try bigEndian(UInt16.self)), at: start)
            case 0xdb: return try string(count: Int(try bigEndian(UInt32.self)), at: start)
            case 0xdc: return try array(count: Int(try bigEndian(UInt16.self)), depth: depth, at: start)
            case 0xdd: return try array(count: Int(try bigEndian(UInt32.self)), depth: depth, at: start)
            case 0xde: return try map(count: Int(try bigEndian(UInt16.self)), depth: depth, at: start)
            case 0xdf: return try map(count: Int(try bigEndian(UInt32.self)), depth: depth, at: start)
            case 0xc1: throw fail("0xc1 is never used in MessagePack", at: start)
            default: throw fail("extension types (0x\(String(tag, radix: 16))) are not read here", at: start)
            }
        }

        mutating func string(count: Int, at start: Int) throws(MessagePackError) -> JSONValue {
            let utf8 = try take(count)
            guard let text = String(validating: utf8, as: UTF8.self) else { throw fail("a string that is not UTF-8", at: start) }
            return .string(text)
        }

        mutating func array(count: Int, depth: Int, at start: Int) throws(MessagePackError) -> JSONValue {
            guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth)", at: start) }
            // Each element takes at least one byte: a count past what is left cannot be honest.
            guard count <= bytes.count - offset else { throw fail("\(count) elements cannot fit in \(bytes.count - offset) bytes", at: start) }
            var items: [JSONValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try value(depth: depth + 1)) }
            return .array(items)
        }

        mutating func map(count: Int, depth: Int, at start: Int) throws(MessagePackError) -> JSONValue {
            guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth)", at: start) }
            guard count <= (bytes.count - offset) / 2 else { throw fail("\(count) entries cannot fit in \(bytes.count - offset) bytes", at: start) }
            var object = JSONObject()
            var keys = Set<String>()
            for _ in 0..<count {
                let keyAt = offset
                guard case .string(let key) = try value(depth: depth + 1) else { throw fail("a map key that is not a string", at: keyAt) }
                guard keys.insert(key).inserted else { throw fail("the key \"\(key)\" twice in one map", at: keyAt) }
                object[key] = try value(depth: depth + 1)
            }
            return .object(object)
        }
    }
}
