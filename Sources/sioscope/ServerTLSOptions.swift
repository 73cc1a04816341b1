import ArgumentParser
import Foundation
import SocketIOServer

/// `--tls-cert` and `--tls-key`: serve https and wss on the same port.
struct ServerTLSOptions: ParsableArguments {
    @Option(help: "A PEM certificate chain: serve https and wss (with --tls-key).")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        for file in [tlsCert, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("\(file): no such readable file")
        }
    }

    var tls: ServerTLS? {
        guard let tlsCert, let tlsKey else { return nil }
        return ServerTLS(certificateChainFile: tlsCert, privateKeyFile: tlsKey)
    }

    /// http or https, for the URLs printed.
    var scheme: String { tls == nil ? "http" : "https" }
}
