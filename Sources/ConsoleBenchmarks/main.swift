import Foundation

// The console's speed targets, in a release build:
//   swift run -c release ConsoleBenchmarks [seconds]
// 1. Under a flood of 20,000 packets per second, each frame (ingest + full render + diff) stays
//    well inside 50 ms, and memory stays bounded (the ring buffer keeps at most its capacity).
// 2. The embedded server's throughput with the console watching is at least 0.9x of headless.
let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 5 : 5

let rssBefore = residentBytes()
let flood = FloodRender.run(packetsPerSecond: 20_000, seconds: seconds * 2, width: 140, height: 40)
let rssAfter = residentBytes()
print("flood: \(flood.packets) packets in \(flood.frames) frames (20,000/s), 140x40")
print(String(format: "  frame (ingest + render + diff): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target < 50 ms)", flood.p50, flood.p99, flood.max))
print("  ring: \(flood.kept) kept, \(flood.dropped) dropped, \(flood.keptBytes / 1024) KiB accounted; RSS \(rssBefore / 1_048_576) -> \(rssAfter / 1_048_576) MiB")

for (clients, inFlight) in [(10, 1), (10, 16)] {
    let headless = try await ServerWatching.run(watched: false, clients: clients, inFlight: inFlight, seconds: seconds)
    let watched = try await ServerWatching.run(watched: true, clients: clients, inFlight: inFlight, seconds: seconds)
    let ratio = watched.acksPerSecond / headless.acksPerSecond
    print(String(format: "server, %d clients x %d in flight: headless %.0f acks/s, watched %.0f acks/s (%d frames) = %.2fx (target >= 0.9x)",
                 clients, inFlight, headless.acksPerSecond, watched.acksPerSecond, watched.uiFrames, ratio))
}
