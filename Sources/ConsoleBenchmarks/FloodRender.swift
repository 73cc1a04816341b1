import ConsoleModel
import ConsoleUI
import Foundation
import SocketIOProtocol
import TermUI

/// The UI thread's work under a flood: every 33 ms frame ingests the packets that arrived since the
/// last one (20,000 per second) and renders the whole screen. Reports the frame times and what the
/// ring buffer kept, dropped and weighs.
enum FloodRender {
    struct Result {
        var frames: Int
        var packets: Int
        var p50: Double
        var p99: Double
        var max: Double
        var kept: Int
        var dropped: Int
        var keptBytes: Int
    }

    static func run(packetsPerSecond: Int, seconds: Double, width: Int, height: Int) -> Result {
        var state = AppState(endpoint: "bench", scenario: "flood")
        state.snapshot = ConsoleSnapshot(
            namespaces: [NamespaceInfo(name: "/", socketCount: 100, middleware: [MiddlewareInfo(name: "log")])],
            sockets: (0..<100).map { SocketInfo(id: "S\($0)", side: .server, namespace: "/", sid: "sid\($0)", connectedAt: 0) })
        let perFrame = packetsPerSecond / 30
        let events = makeEvents(count: perFrame)
        let clock = ContinuousClock()
        var times: [Double] = []
        var sent = 0
        let frames = Int(seconds * 30)
        var previous: CellBuffer? = nil
        var changedCells = 0
        for frame in 0..<frames {
            let start = clock.now
            _ = Reducer.reduce(&state, .trace(events, time: Double(frame) / 30))
            sent += events.count
            let context = RenderContext(glyphs: .unicode, utcOffset: 0, now: Double(frame) / 30)
            let buffer = Screen.render(state, size: Size(width: width, height: height), context: context).buffer
            // The backend's diff against the previous frame, as the ncurses session does it.
            if let previous { changedCells += zip(previous.cells, buffer.cells).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) } }
            previous = buffer
            times.append(durationSeconds(clock.now - start) * 1000)
        }
        times.sort()
        precondition(changedCells > 0, "the screen should change under a flood")
        return Result(frames: frames, packets: sent, p50: times[times.count / 2], p99: times[times.count * 99 / 100],
                      max: times.last ?? 0, kept: state.packets.count, dropped: state.packets.dropped, keptBytes: state.packets.bytes)
    }

    /// What a chat under load looks like: events in, broadcasts out, their Engine.IO frames, pings.
    static func makeEvents(count: Int) -> [TraceEvent] {
        (0..<count).map { i in
            let sid = "sid\(i % 100)"
            switch i % 4 {
            case 0: return .socketPacket(side: .server, sid: sid, direction: .inbound,
                                         packet: .event("chat", [["text": .string("message \(i)"), "n": .int(Int64(i))]], id: UInt64(i)))
            case 1: return .socketPacket(side: .server, sid: sid, direction: .outbound, packet: .ack([.int(Int64(i))], id: UInt64(i - 1)))
            case 2: return .enginePacket(side: .server, sid: sid, direction: .inbound, transport: .websocket,
                                         packet: .message(#"42["chat",{"text":"message","n":1}]"#))
            default: return .enginePacket(side: .server, sid: sid, direction: .outbound, transport: .websocket, packet: .ping)
            }
        }
    }
}

func durationSeconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Resident memory of this process, in bytes (from /proc).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
}
