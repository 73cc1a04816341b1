// Codec throughput: sioscope's Socket.IO encoder/decoder against Foundation's JSONSerialization on
// the same data. Build and run in release:  swift run -c release CodecBenchmarks [seconds-per-case]
//
// The baseline does less than the codec: it parses or writes only the JSON payload, while the codec
// also reads the packet header, validates the packet, and (for binary) restores attachments.
import Foundation
import SocketIOProtocol

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 1.0
var checksum = 0
var rows: [[String]] = []

for workload in Workload.all() {
    let json = Data(workload.json)
    let foundationObject = try! JSONSerialization.jsonObject(with: json)

    let ours = measure(seconds: seconds) {
        var decoder = SocketPacketDecoder()
        var result = try! decoder.decode(textBytes: workload.text)
        for attachment in workload.attachments { result = try! decoder.decode(binary: attachment) }
        if case .packet(let p) = result { return p.arguments.count }
        return 0
    }
    let theirs = measure(seconds: seconds) {
        (try! JSONSerialization.jsonObject(with: json) as! [Any]).count
    }
    rows.append([workload.name, "decode", "\(workload.text.count)", formatRate(ours.opsPerSecond), formatRate(theirs.opsPerSecond),
                 formatRatio(ours.opsPerSecond / theirs.opsPerSecond)])

    let oursEncode = measure(seconds: seconds) {
        let encoded = try! SocketPacketEncoder.encode(workload.packet)
        return encoded.bytes.count + encoded.attachments.count
    }
    let theirsEncode = measure(seconds: seconds) {
        try! JSONSerialization.data(withJSONObject: foundationObject).count
    }
    rows.append([workload.name, "encode", "\(workload.text.count)", formatRate(oursEncode.opsPerSecond),
                 formatRate(theirsEncode.opsPerSecond), formatRatio(oursEncode.opsPerSecond / theirsEncode.opsPerSecond)])
    checksum &+= ours.checksum &+ theirs.checksum &+ oursEncode.checksum &+ theirsEncode.checksum
}

let header = ["workload", "op", "bytes", "sioscope ops/s", "Foundation ops/s", "ratio"]
let widths = [22, 7, 7, 16, 18, 7]
print(zip(header, widths).enumerated().map { pad($1.0, $1.1, right: $0 >= 2) }.joined(separator: " "))
for row in rows {
    print(zip(row, widths).enumerated().map { pad($1.0, $1.1, right: $0 >= 2) }.joined(separator: " "))
}
print("(checksum \(checksum & 0xFFFF); \(seconds)s per case; JSONSerialization parses/writes only the JSON payload)")
