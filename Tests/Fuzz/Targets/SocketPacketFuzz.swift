import SocketIOProtocol

/// libFuzzer entry: the input is split at 0x00 bytes into messages; a first byte 'b' makes a message
/// binary (an attachment), anything else is packet text. One decoder takes them in order, as on a
/// connection, so the attachment state machine is exercised along with the parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var decoder = SocketPacketDecoder(limits: SocketLimits(maxAttachments: 4, maxDepth: 32, maxPacketBytes: 64 * 1024))
    for message in bytes.split(separator: 0, omittingEmptySubsequences: false) {
        let result: SocketDecoderResult?
        if message.first == UInt8(ascii: "b") {
            result = try? decoder.decode(binary: Array(message.dropFirst()))
        } else {
            result = try? decoder.decode(textBytes: Array(message))
        }
        // A decoded packet must re-encode, and encoding must be a fixed point: decoding the encoding
        // and encoding again gives the same bytes. (Not value equality: 1e999 decodes to infinity
        // and encodes as null, exactly as JSON.parse and JSON.stringify do.)
        if case .packet(let packet)? = result {
            guard let encoded = try? SocketPacketEncoder.encode(packet) else {
                fatalError("decoded packet does not encode: \(packet)")
            }
            var check = SocketPacketDecoder(limits: SocketLimits(maxAttachments: 4, maxDepth: 32, maxPacketBytes: .max))
            var again = try? check.decode(textBytes: encoded.bytes)
            for attachment in encoded.attachments { again = try? check.decode(binary: attachment) }
            guard case .packet(let decoded)? = again, let reencoded = try? SocketPacketEncoder.encode(decoded),
                  reencoded == encoded else {
                fatalError("encoding is not a fixed point for \(packet): \(String(describing: again))")
            }
        }
    }
    return 0
}
