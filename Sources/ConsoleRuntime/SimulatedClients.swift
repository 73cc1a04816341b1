import ConsoleModel
import EngineIOClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SocketIOClient

/// The console's own clients (c1, c2, …), each with its own connection (socket.io-client's
/// `forceNew`), so each behaves like a separate browser tab.
public final class SimulatedClients: Sendable {
    public struct Client: Sendable {
        public var name: String
        public var namespace: String
        public var manager: SocketManager
        public var socket: ClientSocket
        public var auth: JSONObject?
        public var transport: TraceTransport
        public var state: SocketInfo.State
        public var note: String
        /// The socket id the server gave on connect (nil until connected, and after).
        public var socketID: String?
        public var startedAt: Double
    }

    private struct Registry {
        var clients: [String: Client] = [:]
        var next = 1
    }
    private let registry = NIOLockedValueBox(Registry())
    let server: EngineClientConfiguration
    let group: any EventLoopGroup
    let inbox: ActionInbox
    /// Where the clients' own packets are reported (the client side of each conversation).
    let trace: (any TraceSink)?

    public init(server: EngineClientConfiguration, group: any EventLoopGroup, inbox: ActionInbox, trace: (any TraceSink)?) {
        self.server = server
        self.group = group
        self.inbox = inbox
        self.trace = trace
    }

    /// Starts `count` clients connecting; each reports how its connect went.
    @discardableResult
    public func spawn(count: Int, namespace: String, auth: JSONObject?, transport: TraceTransport?) -> [String] {
        (0..<count).map { _ in spawnOne(namespace: namespace, auth: auth, transport: transport) }
    }

    private func spawnOne(namespace: String, auth: JSONObject?, transport: TraceTransport?) -> String {
        var configuration = server
        configuration.mode = transport == .polling ? .polling : (transport == .websocket ? .websocket : .upgrade)
        let manager = SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: false), group: group,
                                    trace: trace)
        let socket = manager.socket(namespace)
        let name = registry.withLockedValue { r -> String in
            let name = "c\(r.next)"
            r.next += 1
            r.clients[name] = Client(name: name, namespace: namespace, manager: manager, socket: socket, auth: auth,
                                     transport: transport ?? .polling, state: .connecting, note: "",
                                     startedAt: Date().timeIntervalSince1970)
            return name
        }
        socket.onDisconnect { [weak self] reason in
            self?.update(name) { c in
                c.state = .disconnected
                c.socketID = nil
                c.note = reason.rawValue
            }
        }
        Task {
            do throws(SocketConnectError) {
                let id = try await socket.connect(auth: auth, timeout: .seconds(10))
                self.update(name) { c in
                    c.state = .connected
                    c.socketID = id
                    c.note = "as \(id)"
                    c.transport = transport ?? .polling
                }
                self.inbox.post(.outcome(.clientConnected(name: name, namespace: namespace, socketID: id)))
            } catch {
                let (note, outcome): (String, EffectOutcome)
                if case .refused(let message, let data) = error {
                    note = "refused: \(message)" + (data.map { " " + $0.jsonText } ?? "")
                    outcome = .clientRefused(name: name, namespace: namespace, message: message, data: data)
                } else {
                    note = "\(error)"
                    outcome = .failed("\(name) → \(namespace) \(error)")
                }
                self.update(name) { $0.state = .refused; $0.note = note }
                self.inbox.post(.outcome(outcome))
                manager.close()
            }
        }
        return name
    }

    private func update(_ name: String, _ change: (inout Client) -> Void) {
        registry.withLockedValue { r in
            if var client = r.clients[name] {
                change(&client)
                r.clients[name] = client
            }
        }
    }

    public func client(_ name: String) -> Client? { registry.withLockedValue { $0.clients[name] } }

    /// Disconnects and forgets a client.
    public func disconnect(_ name: String) -> Bool {
        guard let client = registry.withLockedValue({ $0.clients.removeValue(forKey: name) }) else { return false }
        client.socket.disconnect()
        client.manager.close()
        return true
    }

    public func closeAll() {
        let all = registry.withLockedValue { r -> [Client] in
            defer { r.clients = [:] }
            return Array(r.clients.values)
        }
        for client in all {
            client.socket.disconnect()
            client.manager.close()
        }
    }

    public var all: [Client] { registry.withLockedValue { Array($0.clients.values) } }
}
