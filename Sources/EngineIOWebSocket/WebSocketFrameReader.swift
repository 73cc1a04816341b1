import NIOCore
import NIOWebSocket

/// Reads WebSocket frames (RFC 6455 5.2) from a connection's bytes as they arrive: whole messages
/// (fragments joined) and control frames. It does the work of NIO's frame decoder, its aggregator
/// and the byte-to-message handler under them in one step, without a boxed frame value and two
/// pipeline hops per message. Frames that arrive whole are handed over as slices of the read's
/// buffer, not copied.
///
/// Everything a frame header says is checked before its payload is waited for: an oversized or
/// malformed frame is refused on its first bytes, never buffered.
public struct WebSocketFrameReader {
    /// Who sends the frames read. A client must mask every frame, a server must not (RFC 6455 5.1).
    public enum Peer: Sendable {
        case client
        case server
    }

    public let peer: Peer
    /// The longest payload of one frame, and of a message joined from fragments.
    public let maxMessageBytes: Int
    /// The most fragments a message may come in.
    public let maxFragments: Int

    /// Bytes not yet read: a read's own buffer while its frames are handed over, or this reader's
    /// copy of an incomplete frame, grown in place until the frame is whole.
    private var buffer = Self.empty
    private var ownsBuffer = false
    /// Shared by every reader with nothing waiting: an idle connection holds no buffer of its own.
    private static let empty = ByteBufferAllocator().buffer(capacity: 0)
    /// The unmasked payload of a fragmented message so far.
    private var message: ByteBuffer?
    private var messageOpcode = WebSocketOpcode.text
    private var fragments = 0
    /// After a close frame or an error nothing more is read.
    private var stopped = false

    public init(peer: Peer, maxMessageBytes: Int, maxFragments: Int = 10_000) {
        self.peer = peer
        self.maxMessageBytes = maxMessageBytes
        self.maxFragments = maxFragments
    }

    /// Storage this reader keeps between reads: its copy of an incomplete frame and the message
    /// joined so far. Fragments cost their bytes, never a buffer each (tests hold it to that).
    var heldCapacity: Int { (ownsBuffer ? buffer.capacity : 0) + (message?.capacity ?? 0) }

    /// Takes the bytes of one read; `next()` then hands over the frames they complete.
    public mutating func feed(_ bytes: ByteBuffer) {
        guard !stopped else { return }
        if buffer.readableBytes == 0 {
            buffer = bytes
            ownsBuffer = false
        } else {
            if !ownsBuffer { takeOwnership(room: bytes.readableBytes) }
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next whole message or control frame, or nil until more bytes are fed. After a close
    /// frame, and after an error is thrown, it returns nil for good.
    public mutating func next() throws(WebSocketFrameError) -> InboundFrame? {
        while !stopped {
            let header: FrameHeader
            do {
                guard let parsed = try FrameHeader.parse(buffer, peer: peer, maxPayload: maxMessageBytes) else {
                    keepRemainder(expecting: 14)
                    return nil
                }
                header = parsed
            } catch {
                stopped = true
                throw error
            }
            guard buffer.readableBytes >= header.size + header.length else {
                keepRemainder(expecting: header.size + header.length)
                return nil
            }
            buffer.moveReaderIndex(forwardBy: header.size)
            let payload = buffer.readSlice(length: header.length)!
            do {
                if let frame = try accept(header, payload: payload) { return frame }
            } catch {
                stopped = true
                throw error
            }
        }
        return nil
    }

    /// A frame's place in the message sequence: whole frames and control frames are handed over,
    /// fragments are joined until the last.
    private mutating func accept(_ header: FrameHeader, payload: ByteBuffer) throws(WebSocketFrameError) -> InboundFrame? {
        switch header.opcode {
        case .continuation:
            guard message != nil else { throw WebSocketFrameError(.protocolError, "a continuation frame without a message to continue") }
            try append(payload, mask: header.mask)
            guard header.fin else { return nil }
            defer { message = nil }
            return InboundFrame(opcode: messageOpcode, payload: message!)
        case .text, .binary:
            guard message == nil else { throw WebSocketFrameError(.protocolError, "a new message inside a fragmented one") }
            if header.fin { return InboundFrame(opcode: header.opcode, payload: payload, mask: header.mask) }
            message = ByteBufferAllocator().buffer(capacity: payload.readableBytes)
            messageOpcode = header.opcode
            fragments = 0
            try append(payload, mask: header.mask)
            return nil
        case .connectionClose:
            // RFC 6455 5.5.1: no payload, or a two-byte status code first.
            guard header.length != 1 else { throw WebSocketFrameError(.protocolError, "a close frame with a one-byte payload") }
            stopped = true
            return InboundFrame(opcode: .connectionClose, payload: payload, mask: header.mask)
        default:   // ping and pong; FrameHeader refuses every other opcode
            return InboundFrame(opcode: header.opcode, payload: payload, mask: header.mask)
        }
    }

    private mutating func append(_ payload: ByteBuffer, mask: UInt32?) throws(WebSocketFrameError) {
        fragments += 1
        guard fragments <= maxFragments else { throw WebSocketFrameError(.tooBig, "a message in more than \(maxFragments) fragments") }
        guard message!.readableBytes + payload.readableBytes <= maxMessageBytes else {
            throw WebSocketFrameError(.tooBig, "a fragmented message over \(maxMessageBytes) bytes")
        }
        var piece = payload
        let offset = message!.readableBytes
        message!.writeBuffer(&piece)
        if let mask {
            message!.withUnsafeMutableReadableBytes { raw in
                EngineFrames.applyMask(mask, to: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
            }
        }
    }

    /// Bytes of an incomplete frame wait for the next read. A read's buffer is usually much larger
    /// than what is left of it, so the rest is copied into a buffer of the frame's size instead of
    /// keeping the read's alive; a buffer of our own grows in place.
    private mutating func keepRemainder(expecting frameSize: Int) {
        if buffer.readableBytes == 0 {
            buffer = Self.empty
            ownsBuffer = false
        } else if !ownsBuffer {
            takeOwnership(room: max(0, frameSize - buffer.readableBytes))
        } else if buffer.readerIndex > buffer.capacity / 2 {
            buffer.discardReadBytes()
        }
    }

    private mutating func takeOwnership(room: Int) {
        var own = ByteBufferAllocator().buffer(capacity: buffer.readableBytes + room)
        own.writeBuffer(&buffer)
        buffer = own
        ownsBuffer = true
    }
}

/// What the first 2 to 14 bytes of a frame say, checked against RFC 6455 5.2 and the limits.
struct FrameHeader {
    var fin: Bool
    var opcode: WebSocketOpcode
    var mask: UInt32?
    var length: Int
    /// Header bytes before the payload.
    var size: Int

    /// The header at the buffer's reader index, nil while its bytes are incomplete.
    static func parse(_ buffer: ByteBuffer, peer: WebSocketFrameReader.Peer, maxPayload: Int) throws(WebSocketFrameError) -> FrameHeader? {
        let start = buffer.readerIndex
        guard let (first, second) = buffer.getMultipleIntegers(at: start, as: (UInt8, UInt8).self) else { return nil }
        guard first & 0x70 == 0 else { throw WebSocketFrameError(.protocolError, "reserved bits set, and no extension was agreed") }
        let fin = first & 0x80 != 0
        let opcode: WebSocketOpcode
        switch first & 0x0F {
        case 0x0: opcode = .continuation
        case 0x1: opcode = .text
        case 0x2: opcode = .binary
        case 0x8: opcode = .connectionClose
        case 0x9: opcode = .ping
        case 0xA: opcode = .pong
        case let reserved: throw WebSocketFrameError(.protocolError, "reserved opcode \(reserved)")
        }
        let masked = second & 0x80 != 0
        switch (peer, masked) {
        case (.client, false): throw WebSocketFrameError(.protocolError, "an unmasked frame from a client")
        case (.server, true): throw WebSocketFrameError(.protocolError, "a masked frame from a server")
        default: break
        }
        var size = 2
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt16.self) else { return nil }
            length = Int(extended)
            size = 4
        } else if length == 127 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt64.self) else { return nil }
            guard extended <= UInt64(maxPayload) else {
                throw WebSocketFrameError(.tooBig, "a frame of \(extended) bytes, over \(maxPayload)")
            }
            length = Int(extended)
            size = 10
        }
        if opcode.isControlOpcode {
            guard fin else { throw WebSocketFrameError(.protocolError, "a fragmented control frame") }
            guard length <= 125 else { throw WebSocketFrameError(.protocolError, "a control frame of \(length) bytes, over 125") }
        } else if length > maxPayload {
            throw WebSocketFrameError(.tooBig, "a frame of \(length) bytes, over \(maxPayload)")
        }
        var mask: UInt32?
        if masked {
            guard let key = buffer.getInteger(at: start + size, as: UInt32.self) else { return nil }
            mask = key
            size += 4
        }
        return FrameHeader(fin: fin, opcode: opcode, mask: mask, length: length, size: size)
    }
}
