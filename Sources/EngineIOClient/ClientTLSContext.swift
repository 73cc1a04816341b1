import NIOCore
import NIOSSL

/// What the client's connections need for TLS: one context per client, and the handler that goes
/// first in each pipeline.
struct ClientTLSContext: Sendable {
    let context: NIOSSLContext
    /// The SNI and verification name; nil for an IP address (checked against the certificate's IP entries).
    let serverName: String?

    init(_ options: ClientTLS, host: String) throws(EngineClientError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile = options.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .connectionFailed("TLS setup: \(error)\(options.caFile.map { " (CA file \($0))" } ?? "")")
        }
        let name = options.serverName ?? host
        serverName = Self.isIPAddress(name) ? nil : name
    }

    func handler() throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverName)
    }

    static func isIPAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
