#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EngineIOServer
import NIOPosix
import Scenarios
import SocketIOServer

// libFuzzer over the whole server: every input is a byte stream sent on a fresh connection to the
// real pipeline (NIO's HTTP decoder, the request guard, the Engine.IO handlers, the WebSocket
// upgrade and frames, Socket.IO decoding, namespaces and middleware), served on a Unix domain
// socket so millions of connections use up no ports. Each token "SID" in the input is replaced by
// the sid of a session opened just before, so polls, POSTs and upgrades reach a live session.
//
// libFuzzer brings its own `main`, and so does this executable (SwiftPM needs one in a plain
// build). scripts/fuzz links with --allow-multiple-definition so this one wins, and it hands over
// to libFuzzer through LLVMFuzzerRunDriver, looked up at run time: a plain build, which has no
// libFuzzer, only says how to run it.

@main
enum PipelineFuzzMain {
    typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    typealias Driver = @convention(c) (UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                       Callback) -> CInt

    static func main() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else {
            print("PipelineFuzz runs under libFuzzer only: scripts/fuzz SECONDS pipeline")
            exit(64)
        }
        let driver = unsafeBitCast(symbol, to: Driver.self)
        // libFuzzer ends the process with exit() (time limit, crash found), never returning here.
        atexit { unlink(socketPath) }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(driver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}

let socketPath = "/tmp/sioscope-pipeline-fuzz-\(getpid()).sock"

/// The demo scenario with fast heartbeats, so sessions the inputs open end quickly.
func startServer() -> EngineHTTPServer {
    var scenario = Scenario.demo
    scenario.engine.pingInterval = 200
    scenario.engine.pingTimeout = 200
    scenario.engine.maxHttpBufferSize = 64 * 1024
    let box = ServerBox()
    let done = DispatchSemaphore(value: 0)  // the fuzz callback is synchronous
    Task {
        do {
            let (_, engines) = try ScenarioRuntime.build(scenario, trace: nil)
            box.server = try await EngineHTTPServer.start(unixDomainSocketPath: socketPath, servers: engines,
                                                          group: MultiThreadedEventLoopGroup.singleton,
                                                          limits: ListenerLimits(headerTimeout: .seconds(2)))
        } catch {
            fatalError("pipeline fuzz: cannot start the server: \(error)")
        }
        done.signal()
    }
    done.wait()
    return box.server!
}

final class ServerBox: @unchecked Sendable { var server: EngineHTTPServer? }

/// A blocking Unix-socket connection with a receive timeout.
func connectToServer() -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, byte) in socketPath.utf8.enumerated() { raw[i] = byte }
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    precondition(connected == 0, "pipeline fuzz: cannot connect to \(socketPath)")
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
}

func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent <= 0 { return }  // the server closed early: fine, it may refuse at once
        offset += sent
    }
}

/// Reads until the server closes. The server must close every connection once the peer has
/// half-closed and everything sent was handled; a read that times out is a hang.
func readToEnd(_ fd: Int32) -> [UInt8] {
    var all: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var deadline = timespec()
    clock_gettime(CLOCK_MONOTONIC, &deadline)
    deadline.tv_sec += 10
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 || (n < 0 && errno == ECONNRESET) { return all }
        if n > 0 { all += buffer[0..<n] }
        // libFuzzer's own timer interrupts system calls (EINTR); only the deadline counts, also
        // against a server that would keep sending.
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        if now.tv_sec < deadline.tv_sec { continue }
        fatalError("pipeline fuzz: the server neither finished nor closed within 10 s (errno \(errno), \(all.count) bytes read)")
    }
}

/// Opens a polling session and returns its sid.
func openSession() -> [UInt8] {
    let fd = connectToServer()
    defer { close(fd) }
    sendAll(fd, Array("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: fuzz\r\n\r\n".utf8))
    shutdown(fd, Int32(SHUT_WR))
    let reply = readToEnd(fd)
    guard let start = reply.firstRange(of: Array("\"sid\":\"".utf8))?.upperBound, reply.count >= start + 20 else {
        fatalError("pipeline fuzz: the handshake failed: \(String(decoding: reply, as: UTF8.self))")
    }
    return Array(reply[start..<start + 20])
}

/// Started by the first input (a global is initialized once, on first use, thread-safely).
let server = startServer()
let sidToken = Array("SID".utf8)

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = server
    var input = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    if input.firstRange(of: sidToken) != nil {
        let sid = openSession()
        input = replacingTokens(in: input, with: sid)
    }
    let fd = connectToServer()
    sendAll(fd, input)
    shutdown(fd, Int32(SHUT_WR))
    _ = readToEnd(fd)
    close(fd)
    return 0
}

/// Every "SID" in one left-to-right pass: a sid may itself contain "SID", so replacing until none
/// is left could loop forever (it did, once in 10,000 inputs).
func replacingTokens(in input: [UInt8], with sid: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count + 20)
    var i = 0
    while i < input.count {
        if i + sidToken.count <= input.count, input[i..<i + sidToken.count].elementsEqual(sidToken) {
            output += sid
            i += sidToken.count
        } else {
            output.append(input[i])
            i += 1
        }
    }
    return output
}

/// libFuzzer's own main (linked in, unused) refers to this symbol, so it is defined too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzz(data, size) }
