#if canImport(Glibc)
import Glibc
#endif

/// What a handshake request looked like: for `allowRequest`, middleware and the console.
public struct EngineRequest: Sendable {
    public var method: String
    /// Path and query as sent.
    public var uri: String
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var remoteAddress: String?
    public var secure: Bool
    /// Seconds since 1970 when the request arrived.
    public var time: Double

    public init(method: String, uri: String, headers: [(String, String)], remoteAddress: String?, secure: Bool = false, time: Double) {
        self.init(method: method, uri: uri, split: QueryString.split(uri), headers: headers, remoteAddress: remoteAddress,
                  secure: secure, time: time)
    }

    /// With the URI already split into path and query (the caller needed the query first).
    init(method: String, uri: String, split: (String, [String: String]), headers: [(String, String)], remoteAddress: String?,
         secure: Bool, time: Double) {
        self.method = method
        self.uri = uri
        let (path, query) = split
        self.path = path
        self.query = query
        var merged: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            merged[key] = merged[key].map { $0 + ", " + value } ?? value
        }
        self.headers = merged
        self.remoteAddress = remoteAddress
        self.secure = secure
        self.time = time
    }
}

extension EngineRequest {
    /// The request as NIO received it, with the peer's address and the arrival time.
    init(head: HTTPRequestHead, channel: any Channel) {
        self.init(method: head.method.rawValue, uri: head.uri, split: QueryString.split(head.uri),
                  headers: head.headers.map { ($0.name, $0.value) }, channel: channel)
    }

    /// A WebSocket upgrade request (always a GET).
    init(upgrade: UpgradeRequest, channel: any Channel, split: (String, [String: String])? = nil) {
        self.init(method: "GET", uri: upgrade.uri, split: split ?? QueryString.split(upgrade.uri), headers: upgrade.headers, channel: channel)
    }

    /// Called on the channel's loop: the pipeline tells whether the connection is TLS.
    private init(method: String, uri: String, split: (String, [String: String]), headers: [(String, String)], channel: any Channel) {
        let secure = (try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)) != nil
        self.init(method: method, uri: uri, split: split, headers: headers, remoteAddress: addressText(channel.remoteAddress),
                  secure: secure, time: wallClockSeconds())
    }
}

/// `path?a=1&b=2` into the path and the decoded parameters (the first of repeated names wins).
enum QueryString {
    /// The path alone, without decoding the query (mounts are chosen by path on every request).
    static func path(of uri: String) -> Substring {
        uri[..<(uri.firstIndex(of: "?") ?? uri.endIndex)]
    }

    static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if query[name] == nil { query[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return (String(uri[..<mark]), query)
    }

    /// The first of Engine.IO's own parameters (EIO, transport, sid) that the query names more than
    /// once, if any: such a request is refused, as every reference server does.
    static func repeatedEngineParameter(in uri: String) -> String? {
        guard let mark = uri.firstIndex(of: "?") else { return nil }
        var seen: Set<Substring> = []
        for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let name = pair[..<(pair.firstIndex(of: "=") ?? pair.endIndex)]
            guard name == "EIO" || name == "transport" || name == "sid" else { continue }
            if !seen.insert(name).inserted { return String(name) }
        }
        return nil
    }

    /// Percent-decoding with `+` as space; malformed escapes are kept as they are.
    static func decode(_ s: Substring) -> String {
        // Engine.IO's own parameters (EIO, transport, sid, t) never need decoding.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(s) }
        var bytes: [UInt8] = []
        var utf8 = Array(s.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), utf8.count >= 2, let h = hex(utf8[utf8.startIndex]), let l = hex(utf8[utf8.startIndex + 1]) {
                bytes.append(h << 4 | l)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Session ids: 20 URL-safe characters from 15 random bytes, like the reference server's.
enum SessionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func make() -> String {
        // One draw of 16 bytes from the system's random source (one system call), not one per
        // byte or per word: a busy server makes two ids per connection (session and socket).
        var random: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &random) { arc4random_buf($0.baseAddress!, $0.count) }
        return withUnsafeBytes(of: &random) { bytes in
            String(unsafeUninitializedCapacity: 20) { out in
                // Each 3 bytes (24 bits) make 4 characters of 6 bits.
                for group in 0..<5 {
                    let n = UInt32(bytes[group * 3]) << 16 | UInt32(bytes[group * 3 + 1]) << 8 | UInt32(bytes[group * 3 + 2])
                    for k in 0..<4 { out[group * 4 + k] = alphabet[Int(n >> UInt32(18 - 6 * k) & 63)] }
                }
                return 20
            }
        }
    }
}

/// A new random id in the Engine.IO session id format (also used for Socket.IO socket ids).
public func makeRandomID() -> String { SessionID.make() }

import NIOCore
import NIOHTTP1
import NIOSSL

/// `127.0.0.1:5123` or `[::1]:5123`: an address as a person reads it.
func addressText(_ address: SocketAddress?) -> String? {
    guard let address else { return nil }
    guard let ip = address.ipAddress, let port = address.port else { return address.description }
    if case .v6 = address { return "[\(ip)]:\(port)" }
    return "\(ip):\(port)"
}
