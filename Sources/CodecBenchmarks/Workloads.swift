import SocketIOProtocol

/// The typical packets the benchmark measures, built once.
struct Workload {
    var name: String
    /// The Socket.IO packet text as it arrives (without the Engine.IO `4`).
    var text: [UInt8]
    var attachments: [[UInt8]]
    /// The JSON part of `text`: what the Foundation baseline parses.
    var json: [UInt8]
    var packet: SocketPacket

    init(name: String, packet: SocketPacket) {
        self.name = name
        self.packet = packet
        let encoded = try! SocketPacketEncoder.encode(packet)
        text = encoded.bytes
        attachments = encoded.attachments
        let start = text.firstIndex(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "{") })!
        json = Array(text[start...])
    }

    static func all() -> [Workload] {
        let small = SocketPacket.event("chat", [["from": "ana", "text": "hello there, how are you?", "ts": 1_732_810_000_000, "read": false]])

        // About 10 KB: a page of records, the kind a dashboard pushes.
        var rows: [JSONValue] = []
        var i: Int64 = 0
        while JSONValue.array(rows).jsonText.utf8.count < 10_000 {
            rows.append(["id": .int(i), "user": .string("user-\(i)@example.com"), "score": .double(Double(i) * 1.25),
                         "active": .bool(i % 2 == 0), "tags": ["alpha", "beta", "gamma"], "note": "naïve café ✓"])
            i += 1
        }
        let large = SocketPacket.event("page", [.array(rows)], namespace: "/admin", id: 42)

        let blob = (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let binary = SocketPacket.event("upload", [["name": "photo.png", "size": 16_384, "data": .binary(blob)]], id: 7)

        return [Workload(name: "small event", packet: small), Workload(name: "10 KB JSON event", packet: large),
                Workload(name: "binary event (16 KB)", packet: binary)]
    }
}
