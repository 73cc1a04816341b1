import WireJSON

/// MessagePack for the values Socket.IO carries (`JSONValue`), as socket.io's Redis adapter and
/// emitter write them (notepack.io): integers in the smallest integer format, other numbers as
/// float64, strings as str, binary as bin, arrays, and objects as maps with string keys.
public enum MessagePackEncoder {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return bytes
    }

    public static func append(_ value: JSONValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(0xc0)
        case .bool(let b): bytes.append(b ? 0xc3 : 0xc2)
        case .int(let n): appendInteger(n, to: &bytes)
        case .double(let d):
            bytes.append(0xcb)
            appendBigEndian(d.bitPattern, to: &bytes)
        case .string(let s):
            let utf8 = Array(s.utf8)
            appendHeader(count: utf8.count, fix: (0xa0, 31), small: 0xd9, medium: 0xda, large: 0xdb, to: &bytes)
            bytes += utf8
        case .binary(let data):
            appendHeader(count: data.count, fix: nil, small: 0xc4, medium: 0xc5, large: 0xc6, to: &bytes)
            bytes += data
        case .array(let items):
            appendHeader(count: items.count, fix: (0x90, 15), small: nil, medium: 0xdc, large: 0xdd, to: &bytes)
            for item in items { append(item, to: &bytes) }
        case .object(let object):
            appendHeader(count: object.count, fix: (0x80, 15), small: nil, medium: 0xde, large: 0xdf, to: &bytes)
            for entry in object.entries {
                append(.string(entry.key), to: &bytes)
                append(entry.value, to: &bytes)
            }
        }
    }

    static func appendInteger(_ n: Int64, to bytes: inout [UInt8]) {
        switch n {
        case 0...0x7f: bytes.append(UInt8(n))
        case -32 ..< 0: bytes.append(UInt8(bitPattern: Int8(n)))
        case 0x80...0xff: bytes += [0xcc, UInt8(n)]
        case 0x100...0xffff: bytes.append(0xcd); appendBigEndian(UInt16(n), to: &bytes)
        case 0x1_0000...0xffff_ffff: bytes.append(0xce); appendBigEndian(UInt32(n), to: &bytes)
        case Int64(Int8.min) ..< -32: bytes += [0xd0, UInt8(bitPattern: Int8(n))]
        case Int64(Int16.min) ..< Int64(Int8.min): bytes.append(0xd1); appendBigEndian(UInt16(bitPattern: Int16(n)), to: &bytes)
        case Int64(Int32.min) ..< Int64(Int16.min): bytes.append(0xd2); appendBigEndian(UInt32(bitPattern: Int32(n)), to: &bytes)
        case 0x1_0000_0000...: bytes.append(0xcf); appendBigEndian(UInt64(n), to: &bytes)
        default: bytes.append(0xd3); appendBigEndian(UInt64(bitPattern: n), to: &bytes)
        }
    }

    /// The shortest header for a length: a fix form (type bits, largest count) when there is one.
    static func appendHeader(count: Int, fix: (UInt8, Int)?, small: UInt8?, medium: UInt8, large: UInt8, to bytes: inout [UInt8]) {
        if let (base, limit) = fix, count <= limit {
            bytes.append(base | UInt8(count))
        } else if let small, count <= 0xff {
            bytes += [small, UInt8(count)]
        } else if count <= 0xffff {
            bytes.append(medium)
            appendBigEndian(UInt16(count), to: &bytes)
        } else {
            bytes.append(large)
            appendBigEndian(UInt32(truncatingIfNeeded: count), to: &bytes)
        }
    }

    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes += $0 }
    }
}
