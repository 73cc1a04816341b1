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
    /// Show auth keys, not values, in the rows.
    let redact: Bool

    /// Each change of a client's row is posted to `inbox` as `.clientChanged` (or `.clientGone`).
    public init(server: EngineClientConfiguration, group: any EventLoopGroup, inbox: ActionInbox, trace: (any TraceSink)?,
                redact: Bool = false) {
        self.server = server
        self.group = group
        self.inbox = inbox
        self.trace = trace
        self.redact = redact
    }

    /// Starts `count` clients connecting; each reports how its connect went.
    @discardableResult
    public func spawn(count: Int, namespace: String, auth: JSONObject?, transport: TraceTransport?,
                      options: SpawnOptions = SpawnOptions()) -> [String] {
        (0..<count).map { _ in spawnOne(namespace: namespace, auth: auth, transport: transport, options: options) }
    }

    private func spawnOne(namespace: String, auth: JSONObject?, transport: TraceTransport?, options: SpawnOptions) -> String {
        let manager: SocketManager
        if let shared = options.on.flatMap({ client($0)?.manager }) {
            manager = shared
        } else {
            var configuration = server
            configuration.mode = transport == .polling ? .polling : (transport == .websocket ? .websocket : .upgrade)
            manager = SocketManager(configuration: configuration, reconnection: ReconnectionOptions(enabled: options.reconnects),
                                    group: group, trace: trace)
        }
        // On a shared connection, a namespace already joined there gives the same socket, as
        // socket.io-client's cache does.
        let socket = manager.socket(namespace)
        if options.answersAcks {
            socket.onAny { event in event.ack?(event.arguments) }
        }
        let name = registry.withLockedValue { r -> String in
            let name = "c\(r.next)"
            r.next += 1
            r.clients[name] = Client(name: name, namespace: namespace, manager: manager, socket: socket, auth: auth,
                                     transport: transport ?? .polling, state: .connecting, note: "",
                                     startedAt: Date().timeIntervalSince1970)
            return name
        }
        post(name)
        manager.onUpgrade { [weak self] _ in self?.post(name) }
        // A rejoin after a reconnection (the first connect is reported by the task below).
        socket.onConnect { [weak self] id in
            self?.update(name) { c in
                guard c.state == .disconnected else { return }
                c.state = .connected
                c.socketID = id
                c.note = "as \(id) again"
            }
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
                // A refusal on a shared connection leaves it to the client that opened it.
                if options.on == nil { manager.close() }
            }
        }
        return name
    }

    private func update(_ name: String, _ change: (inout Client) -> Void) {
        let changed = registry.withLockedValue { r -> Bool in
            guard var client = r.clients[name] else { return false }
            change(&client)
            r.clients[name] = client
            return true
        }
        if changed { post(name) }
    }

    /// Tells the console a client's row changed.
    private func post(_ name: String) {
        guard let client = client(name) else { return }
        inbox.post(.clientChanged(client.row(redact: redact)))
    }

    /// Puts a fault on a client's connection; false when there is no such client.
    public func fault(_ fault: ClientFault, client name: String) -> Bool {
        guard let client = client(name) else { return false }
        switch fault {
        case .freeze: client.manager.freeze(true)
        case .thaw: client.manager.freeze(false)
        case .drop: client.manager.dropConnection()
        }
        return true
    }

    public func client(_ name: String) -> Client? { registry.withLockedValue { $0.clients[name] } }

    /// Disconnects and forgets a client.
    public func disconnect(_ name: String) -> Bool {
        let removed = registry.withLockedValue { r -> (Client, shared: Bool)? in
            guard let client = r.clients.removeValue(forKey: name) else { return nil }
            return (client, r.clients.values.contains { $0.manager === client.manager })
        }
        guard let (client, shared) = removed else { return false }
        client.socket.disconnect()
        // A connection other clients still use (`connect --on`) stays open for them.
        if !shared { client.manager.close() }
        inbox.post(.clientGone(name: name))
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

extension SimulatedClients.Client {
    /// The client's row in the sockets pane. `twin`, the server's view of the same socket when the
    /// server is ours, knows the transport as the server sees it.
    func row(redact: Bool, twin: SocketInfo? = nil) -> SocketInfo {
        SocketInfo(
            id: name, side: .client, namespace: namespace, sid: manager.sessionID ?? twin?.sid ?? "",
            transport: twin?.transport ?? (manager.transport == .websocket ? .websocket : .polling), rooms: [],
            auth: SocketInfo.authText(auth, redact: redact), connectedAt: startedAt, state: state, note: note,
            peerID: socketID ?? "")
    }
}
