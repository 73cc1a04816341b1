import Foundation
import NIOCore
import NIOPosix
import SocketIOClient

/// Where and how the simulated clients connect.
public struct BenchTarget: Sendable {
    public let url: String
    /// The Engine.IO path (the URL's own path is not read: the command resolves the namespace).
    public let path: String
    public let namespace: String
    public let auth: JSONObject?
    public let transport: EngineClientConfiguration.Mode
    public let caFile: String?
    /// The clients' configuration, read from the URL once rather than by each of thousands of clients.
    private let configuration: Result<EngineClientConfiguration, EngineClientError>

    public init(url: String, path: String = "/socket.io/", namespace: String = "/", auth: JSONObject? = nil,
                transport: EngineClientConfiguration.Mode = .websocket, caFile: String? = nil) {
        self.url = url
        self.path = path
        self.namespace = namespace
        self.auth = auth
        self.transport = transport
        self.caFile = caFile
        configuration = Result { () throws(EngineClientError) in
            try SocketIOURL(url, path: path, mode: transport, caFile: caFile).configuration
        }
    }

    /// The same target over another transport.
    public func with(transport: EngineClientConfiguration.Mode) -> BenchTarget {
        BenchTarget(url: url, path: path, namespace: namespace, auth: auth, transport: transport, caFile: caFile)
    }

    /// One client with its own connection, connected to the namespace; on `loop` when given, else
    /// on the next loop of NIO's shared group.
    public func connect(timeout: Duration = .seconds(20), on loop: (any EventLoop)? = nil) async throws -> (SocketManager, ClientSocket) {
        let configuration = try self.configuration.get()
        let manager = SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: false),
                                    group: loop ?? MultiThreadedEventLoopGroup.singleton)
        let socket = manager.socket(namespace)
        do {
            try await socket.connect(auth: auth, timeout: timeout)
        } catch {
            manager.close()
            throw error
        }
        return (manager, socket)
    }

    /// A payload of about `bytes` bytes of JSON text.
    static func payload(bytes: Int) -> JSONValue {
        ["data": .string(String(repeating: "x", count: max(0, bytes)))]
    }
}

/// Prints a progress line on standard error once a second while a workload runs (only on a terminal).
final class Progress: Sendable {
    private let task: Task<Void, Never>?

    init(_ line: @escaping @Sendable () -> String) {
        guard isatty(STDERR_FILENO) == 1 else {
            task = nil
            return
        }
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line()).utf8))
            }
        }
    }

    func stop() {
        guard let task else { return }
        task.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
