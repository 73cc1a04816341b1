import EngineIOProtocol
import SocketIOProtocol

/// A small, fast, seedable generator (SplitMix64), so a failing property run can be replayed from
/// the seed it prints.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generators of valid protocol values: every shape the codecs must carry through unchanged.
public enum Generate {
    /// Characters chosen to hit every escaping and encoding path: quotes, backslashes, control
    /// characters, the record separator, multi-byte and astral characters, JavaScript's line separators.
    static let characters: [Character] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{00}", "\u{1F}", "\u{1E}",
        "é", "€", "你", "好", "😀", "👩‍💻", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{7F}", ",", "[", "{", "-",
    ]

    public static func string(_ rng: inout SplitMix64, maxLength: Int = 12) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        return String((0..<length).map { _ in characters.randomElement(using: &rng)! })
    }

    public static func bytes(_ rng: inout SplitMix64, maxLength: Int = 24) -> [UInt8] {
        (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    public static func number(_ rng: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .int(Int64.random(in: -10...10, using: &rng))
        case 1: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 2: return .int([Int64.min, Int64.max, 0, (1 << 53) - 1, -(1 << 53) + 1].randomElement(using: &rng)!)
        case 3: return .double(Double.random(in: -1e6...1e6, using: &rng))
        case 4: return .double([0.1, -2.5, 1e-7, 1.7976931348623157e308, 5e-324, 1e21, 123456789.125].randomElement(using: &rng)!)
        default: return .double(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)).finiteOr(0.5))
        }
    }

    /// Any JSON value up to `depth` levels, with binary leaves when `binary` is set.
    public static func json(_ rng: inout SplitMix64, depth: Int = 4, binary: Bool = true) -> JSONValue {
        let leafKinds = binary ? 6 : 5
        let kinds = depth > 0 ? leafKinds + 2 : leafKinds
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return number(&rng)
        case 3, 4: return .string(string(&rng))
        case 5 where binary: return .binary(bytes(&rng))
        case leafKinds:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in json(&rng, depth: depth - 1, binary: binary) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                // Keys that look like placeholder fields would change meaning inside binary packets.
                object["k" + string(&rng, maxLength: 6)] = json(&rng, depth: depth - 1, binary: binary)
            }
            return .object(object)
        }
    }

    public static func namespace(_ rng: inout SplitMix64) -> String {
        if Bool.random(using: &rng) { return "/" }
        let name = string(&rng, maxLength: 10).filter { $0 != "," && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }
        return "/" + name
    }

    public static func ackID(_ rng: inout SplitMix64) -> UInt64? {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return nil
        case 1: return [0, 1, SocketPacket.maxAckID].randomElement(using: &rng)!
        default: return UInt64.random(in: 0...SocketPacket.maxAckID, using: &rng)
        }
    }

    static let eventNames = ["chat", "delete user", "upload", "é", "😀", "", "a,b", "connectx", "\"quoted\""]

    /// A valid packet of any type; binary may sit at any depth of event and ack arguments.
    public static func socketPacket(_ rng: inout SplitMix64) -> SocketPacket {
        let namespace = namespace(&rng)
        let args = (0..<Int.random(in: 0...4, using: &rng)).map { _ in json(&rng) }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:
            var auth: JSONObject? = nil
            if Bool.random(using: &rng), case .object(let o) = json(&rng, depth: 0, binary: false).wrappedInObject(&rng) { auth = o }
            return .connect(namespace: namespace, auth: auth)
        case 1: return .disconnect(namespace: namespace)
        case 2:
            let name = Bool.random(using: &rng) ? eventNames.randomElement(using: &rng)! : string(&rng)
            if ReservedEvents.contains(name) { return .event("x", args, namespace: namespace, id: ackID(&rng)) }
            return .event(name, args, namespace: namespace, id: ackID(&rng))
        case 3: return .ack(args, id: ackID(&rng) ?? 0, namespace: namespace)
        default:
            return .connectError(namespace: namespace, message: string(&rng),
                                 data: Bool.random(using: &rng) ? json(&rng, depth: 2, binary: false) : nil)
        }
    }

    public static func enginePacket(_ rng: inout SplitMix64) -> EnginePacket {
        let type = EnginePacketType.allCases.randomElement(using: &rng)!
        if type == .message && Bool.random(using: &rng) { return .binary(bytes(&rng)) }
        // The record separator cannot travel inside a text packet of a polling body.
        let text = string(&rng).filter { $0 != "\u{1E}" }
        if type == .message { return .message(text) }
        return EnginePacket(type, text.isEmpty ? nil : .text(text))
    }
}

extension Double {
    func finiteOr(_ fallback: Double) -> Double { isFinite ? self : fallback }
}

extension JSONValue {
    func wrappedInObject(_ rng: inout SplitMix64) -> JSONValue {
        var object = JSONObject()
        object["token"] = self
        object[Generate.string(&rng, maxLength: 4)] = .string(Generate.string(&rng))
        return .object(object)
    }
}

/// The seed for a property run: `PROPERTY_SEED` when set (to replay a failure), else a fixed one
/// per property so CI runs are repeatable.
public func propertySeed(_ fallback: UInt64) -> UInt64 {
    var value: UInt64 = 0
    guard let raw = getenvString("PROPERTY_SEED") else { return fallback }
    for c in raw.utf8 where c >= 0x30 && c <= 0x39 { value = value &* 10 &+ UInt64(c - 0x30) }
    return value
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}
