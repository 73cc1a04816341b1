/// Serializes `JSONValue`s compactly, escaping strings the way `JSON.stringify` does.
///
/// Binary values are written according to `binaryStyle`: as Socket.IO placeholders (the bytes are
/// collected in `attachments`, numbered in the order they are met, depth first), or as a tagged
/// base64 object for tools that show binary inside JSON.
public struct JSONWriter {
    public enum BinaryStyle: Sendable {
        /// `{"_placeholder":true,"num":N}`, with the bytes appended to `attachments`.
        case placeholders
        /// `{"_binary":"<base64>"}`, for display and JSON reports.
        case taggedBase64
    }

    public private(set) var bytes: [UInt8] = []
    public private(set) var attachments: [[UInt8]] = []
    public let binaryStyle: BinaryStyle

    public init(binaryStyle: BinaryStyle = .placeholders, reservingCapacity capacity: Int = 64) {
        self.binaryStyle = binaryStyle
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw bytes that are already valid output (a packet header, say).
    public mutating func appendRaw(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    public mutating func appendRaw(_ byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendLiteral("null")
        case .bool(let b): b ? appendLiteral("true") : appendLiteral("false")
        case .int(let i): writeInteger(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for entry in object.entries {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(entry.key)
                bytes.append(UInt8(ascii: ":"))
                write(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        case .binary(let data):
            switch binaryStyle {
            case .placeholders:
                appendLiteral("{\"_placeholder\":true,\"num\":")
                writeInteger(Int64(attachments.count))
                bytes.append(UInt8(ascii: "}"))
                attachments.append(data)
            case .taggedBase64:
                appendLiteral("{\"_binary\":\"")
                bytes.append(contentsOf: Base64.encode(data))
                appendLiteral("\"}")
            }
        }
    }

    mutating func appendLiteral(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    mutating func writeDouble(_ value: Double) {
        // JSON has no NaN or infinities; JSON.stringify writes null for them, and so do we.
        guard value.isFinite else {
            appendLiteral("null")
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    public mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    appendLiteral("u00")
                    bytes.append(contentsOf: hexByte(b).utf8)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON text. Binary values appear as tagged base64 objects (use the Socket.IO encoder for
    /// wire text with placeholders).
    public var jsonText: String {
        var writer = JSONWriter(binaryStyle: .taggedBase64)
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// Printed as JSON text (`print(event.arguments)` shows `["a",1]`, not the enum's cases).
extension JSONValue: CustomStringConvertible {
    public var description: String { jsonText }
}

extension JSONObject: CustomStringConvertible {
    public var description: String { JSONValue.object(self).jsonText }
}
