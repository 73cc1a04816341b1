import Testing
import WireJSON
@testable import EngineIOWebSocket

@Suite struct WebSocketHandshakeTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }.joined()
    }

    @Test("SHA-1 gives FIPS 180's digests, across one and several blocks")
    func sha1Vectors() {
        #expect(Self.hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Self.hex(SHA1.digest([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Self.hex(SHA1.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        // 55, 56 and 64 bytes: the padding's edges (one block, two blocks, a block of its own).
        #expect(Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 55))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 56))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(Self.hex(SHA1.digest([UInt8](repeating: 0x61, count: 64))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test("the accept value of RFC 6455's example key")
    func rfcExample() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("a key is 16 random bytes in base64, fresh each time")
    func keys() throws {
        let keys = (0..<64).map { _ in WebSocketHandshake.makeKey() }
        for key in keys {
            #expect(key.utf8.count == 24 && key.hasSuffix("=="))
            #expect(try Base64.decode(key).count == 16)
        }
        #expect(Set(keys).count == keys.count)
    }
}
