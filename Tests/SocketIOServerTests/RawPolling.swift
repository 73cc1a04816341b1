import Foundation
import SocketIOServer
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A hand-driven polling client: sends exactly the bytes a test wants, sees exactly what comes back.
struct RawPolling {
    let base: String
    let sid: String

    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        // Many tests hold long-polls at once on 127.0.0.1; the default per-host limit would queue them.
        config.httpMaximumConnectionsPerHost = 256
        return URLSession(configuration: config)
    }()

    static func open(port: Int) async throws -> RawPolling {
        let base = "http://127.0.0.1:\(port)/socket.io/?EIO=4&transport=polling"
        let (data, _) = try await session.data(from: URL(string: base)!)
        let packets = try PollingPayload.decode(Array(data))
        let handshake = try EngineHandshake(jsonText: try #require(packets.first?.text))
        return RawPolling(base: base, sid: handshake.sid)
    }

    var url: URL { URL(string: base + "&sid=" + sid)! }

    /// POSTs a body; returns the HTTP status.
    @discardableResult
    func post(_ body: String) async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        let (_, response) = try await Self.session.data(for: request)
        return (response as! HTTPURLResponse).statusCode
    }

    /// One long-poll: the status and the packets (empty when not 200).
    func poll() async throws -> (status: Int, packets: [EnginePacket]) {
        let (data, response) = try await Self.session.data(from: url)
        let status = (response as! HTTPURLResponse).statusCode
        return (status, status == 200 ? try PollingPayload.decode(Array(data)) : [])
    }

    /// Polls until a message arrives (answering pings), at most `seconds`; returns the Socket.IO
    /// texts of the messages (without the Engine.IO `4`).
    func messages(within seconds: Double = 3) async throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let (status, packets) = try await poll()
            guard status == 200 else { return [] }
            if packets.contains(where: { $0.type == .ping }) { try await post("3") }
            let texts = packets.compactMap { $0.type == .message ? $0.text : nil }
            if !texts.isEmpty { return texts }
        }
        return []
    }
}
