import EngineIOWebSocket
import NIOHTTP1

/// A WebSocket upgrade request (RFC 6455 4.1, RFC 9112): what the upgrade decision and the
/// session need of it. Read either by `FirstRequestHandler` from the bytes, for the common case,
/// or from a head NIO's parser produced.
struct UpgradeRequest: Sendable {
    /// Path and query as sent.
    let uri: String
    /// In order, names as sent.
    let headers: [(String, String)]
    /// The names lowercased, for lookups.
    private let names: [String]

    init(uri: String, headers: [(String, String)]) {
        self.uri = uri
        self.headers = headers
        names = headers.map { $0.0.lowercased() }
    }

    init(_ head: HTTPRequestHead) {
        self.init(uri: head.uri, headers: head.headers.map { ($0.name, $0.value) })
    }

    /// The first value of a header, by its lowercased name.
    func first(_ lowercasedName: String) -> String? {
        names.firstIndex(of: lowercasedName).map { headers[$0].1 }
    }

    /// Every value of a header, by its lowercased name.
    func all(_ lowercasedName: String) -> [String] {
        names.indices.filter { names[$0] == lowercasedName }.map { headers[$0].1 }
    }

    /// A request head (the bytes up to and with its blank line) read strictly (`HTTPHeadSyntax`):
    /// `GET` with an origin-form target, HTTP/1.1, no body, and the WebSocket headers each once and
    /// well-formed. Nil for anything else, which is not an error: NIO's parser then reads the
    /// request as usual and the regular path answers it (an upgrade refused, a poll served, a 400).
    init?(strictHead bytes: UnsafeRawBufferPointer, maxFields: Int) {
        guard let lines = HTTPHeadSyntax.lines(bytes), lines.count - 1 <= maxFields,
              let uri = Self.target(ofRequestLine: lines[0]) else { return nil }
        var headers: [(String, String)] = []
        headers.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            guard let field = HTTPHeadSyntax.field(line) else { return nil }
            headers.append(field)
        }
        self.init(uri: uri, headers: headers)
        guard isPlainWebSocketUpgrade else { return nil }
    }

    /// "GET /target HTTP/1.1": the target, visible ASCII starting with "/".
    private static func target(ofRequestLine line: UnsafeRawBufferPointer) -> String? {
        let prefix = Array("GET /".utf8), suffix = Array(" HTTP/1.1".utf8)
        guard line.count > prefix.count + suffix.count, line.starts(with: prefix), line.suffix(suffix.count).elementsEqual(suffix) else {
            return nil
        }
        let target = UnsafeRawBufferPointer(rebasing: line[4..<(line.count - suffix.count)])
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: target, as: UTF8.self)
    }

    /// Upgrade names websocket, Connection lists upgrade, version 13 and a valid key each once,
    /// and nothing announces a body.
    private var isPlainWebSocketUpgrade: Bool {
        let keys = all("sec-websocket-key"), versions = all("sec-websocket-version")
        return HTTPHeadSyntax.listElements(all("upgrade")).contains("websocket")
            && HTTPHeadSyntax.listElements(all("connection")).contains("upgrade")
            && versions == ["13"] && keys.count == 1 && EngineHTTPServer.isValidWebSocketKey(keys[0])
            && all("transfer-encoding").isEmpty && all("content-length").allSatisfy { $0 == "0" }
    }
}
