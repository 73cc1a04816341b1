#if canImport(Glibc)
import Glibc
#endif
import NIOWebSocket

/// Masking keys for a client's frames, drawn from the system's random source 32 at a time: asking
/// it for each frame cost a system call per message (getrandom). The keys stay as unpredictable as
/// RFC 6455 5.3 asks. Built through NIO's inlinable `random(using:)`: its generic initialiser from
/// a collection allocated several times per key.
public struct MaskingKeys: RandomNumberGenerator {
    private var pool = [UInt64](repeating: 0, count: 32)
    private var used = 32

    public init() {}

    public mutating func nextKey() -> WebSocketMaskingKey {
        WebSocketMaskingKey.random(using: &self)
    }

    /// 64 random bits; a key takes one word and uses 32 of its bits.
    public mutating func next() -> UInt64 {
        if used == pool.count {
            pool.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            used = 0
        }
        defer { used += 1 }
        return pool[used]
    }
}
