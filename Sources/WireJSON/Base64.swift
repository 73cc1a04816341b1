/// Standard base64 (RFC 4648, with padding), as Engine.IO uses for binary packets in polling bodies.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFF otherwise.
    static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ data: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var iterator = data.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            out.append(b1.map { alphabet[Int(($0 & 0x0F) << 2 | (b2 ?? 0) >> 6)] } ?? UInt8(ascii: "="))
            out.append(b2.map { alphabet[Int($0 & 0x3F)] } ?? UInt8(ascii: "="))
        }
        return out
    }

    public static func encodeToString(_ data: some Collection<UInt8>) -> String {
        String(decoding: encode(data), as: UTF8.self)
    }

    /// Why base64 text was refused, with the offset of the offending byte.
    public struct DecodeError: Error, Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// A byte outside the alphabet (or padding in the middle).
            case invalidByte(UInt8)
            /// The length is not a multiple of four (unpadded input is accepted when the remainder is 2 or 3).
            case truncated
            /// Bits left over in the last character that a canonical encoder leaves at zero.
            case nonZeroPaddingBits
        }
        public var kind: Kind
        public var offset: Int
    }

    /// Decodes strictly; unpadded input is accepted (some clients strip the `=`).
    public static func decode(_ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> [UInt8] {
        var n = text.count
        while n > 0 && text[n - 1] == UInt8(ascii: "=") && text.count - n < 2 { n -= 1 }
        if n % 4 == 1 { throw DecodeError(kind: .truncated, offset: text.count) }
        if text.count != n && text.count % 4 != 0 { throw DecodeError(kind: .truncated, offset: text.count) }
        var out: [UInt8] = []
        out.reserveCapacity(n / 4 * 3 + 2)
        var i = 0
        var quad: UInt32 = 0
        while i < n {
            let v = reverse[Int(text[i])]
            if v == 0xFF { throw DecodeError(kind: .invalidByte(text[i]), offset: i) }
            quad = quad << 6 | UInt32(v)
            i += 1
            if i % 4 == 0 {
                out.append(UInt8(truncatingIfNeeded: quad >> 16))
                out.append(UInt8(truncatingIfNeeded: quad >> 8))
                out.append(UInt8(truncatingIfNeeded: quad))
                quad = 0
            }
        }
        switch n % 4 {
        case 2:
            if quad & 0x0F != 0 { throw DecodeError(kind: .nonZeroPaddingBits, offset: n - 1) }
            out.append(UInt8(truncatingIfNeeded: quad >> 4))
        case 3:
            if quad & 0x03 != 0 { throw DecodeError(kind: .nonZeroPaddingBits, offset: n - 1) }
            out.append(UInt8(truncatingIfNeeded: quad >> 10))
            out.append(UInt8(truncatingIfNeeded: quad >> 2))
        default: break
        }
        return out
    }

    public static func decode(_ text: String) throws(DecodeError) -> [UInt8] {
        return try text.withUTF8Bytes { (buffer) throws(DecodeError) -> [UInt8] in try decode(buffer) }
    }
}
