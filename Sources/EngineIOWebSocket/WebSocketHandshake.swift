#if canImport(Glibc)
import Glibc
#endif
import WireJSON

/// The keys of RFC 6455's opening handshake: the client's random `Sec-WebSocket-Key` and the
/// `Sec-WebSocket-Accept` the server must derive from it (4.2.2).
public enum WebSocketHandshake {
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// A fresh key: 16 random bytes in base64 (4.1), from the system's random source.
    public static func makeKey() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        return Base64.encodeToString(bytes)
    }

    /// base64(SHA-1(key + the protocol's GUID)).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encodeToString(SHA1.digest(Array((key + acceptGUID).utf8)))
    }
}
