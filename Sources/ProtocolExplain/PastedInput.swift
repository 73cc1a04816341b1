import WireJSON

/// Text as a person pastes it from a network log: the record separator may be the real byte, the
/// escape `\x1e` (as logs and the specification print it) or the symbol `␞`. `\u001e` is left alone:
/// inside JSON strings it is a legitimate escape, not a separator.
///
/// Keeps, for every byte it produces, the offset of the byte it came from, so errors point at what
/// the user typed.
struct PastedInput {
    var bytes: [UInt8] = []
    var origin: [Int] = []
    let original: [UInt8]

    init(_ text: String) {
        original = Array(text.utf8)
        let symbol: [UInt8] = Array("␞".utf8)
        var i = 0
        while i < original.count {
            if original[i] == UInt8(ascii: "\\"), i + 3 < original.count, original[i + 1] == UInt8(ascii: "x"),
               original[i + 2] == UInt8(ascii: "1"), original[i + 3] | 0x20 == UInt8(ascii: "e") {
                append(0x1E, from: i)
                i += 4
            } else if original[i...].starts(with: symbol) {
                append(0x1E, from: i)
                i += symbol.count
            } else {
                append(original[i], from: i)
                i += 1
            }
        }
    }

    private mutating func append(_ byte: UInt8, from offset: Int) {
        bytes.append(byte)
        origin.append(offset)
    }

    /// The offset in the original text of byte `index` of the unescaped bytes (the end maps to the end).
    func originalOffset(_ index: Int) -> Int {
        index < origin.count ? origin[index] : original.count
    }

    /// The original characters behind unescaped bytes `range`, for display.
    func rawText(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let start = originalOffset(range.lowerBound)
        let end = range.upperBound < origin.count ? origin[range.upperBound] : original.count
        return Self.printable(original[start..<end])
    }

    /// Bytes as readable text: control characters and invalid UTF-8 escaped as \xNN.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty {
                if let s = String(validating: pending, as: UTF8.self) {
                    out += s
                } else {
                    for b in pending { out += b < 0x80 ? String(Character(Unicode.Scalar(b))) : "\\x" + hexByte(b) }
                }
                pending.removeAll()
            }
        }
        for b in bytes {
            if b < 0x20 || b == 0x7F {
                flush()
                out += "\\x" + hexByte(b)
            } else {
                pending.append(b)
            }
        }
        flush()
        return out
    }
}
