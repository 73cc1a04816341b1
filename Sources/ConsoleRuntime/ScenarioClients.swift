import ConsoleModel
import Foundation
import Scenarios

/// Starts a scenario's simulated clients (its `client` blocks) in the console, so every pane has
/// something to show from the first second, and repeats what each one sends on its schedule.
public enum ScenarioClients {
    /// Returns the tasks that repeat what the clients send, for whoever stops them to cancel.
    @discardableResult
    public static func start(_ specs: [ClientSpec], on clients: SimulatedClients) -> [Task<Void, Never>] {
        var repeating: [Task<Void, Never>] = []
        for spec in specs {
            let names = clients.spawn(count: spec.count, namespace: spec.namespace, auth: spec.auth, transport: transport(spec.transport))
            for job in spec.repeats {
                repeating.append(Task { await repeatForever(job, names: names, clients: clients) })
            }
        }
        return repeating
    }

    static func transport(_ transport: ClientSpec.Transport?) -> TraceTransport? {
        switch transport {
        case .polling: return .polling
        case .websocket: return .websocket
        case .upgrade, nil: return nil
        }
    }

    /// Every `job.milliseconds`, each of the spec's clients that is connected sends once.
    private static func repeatForever(_ job: ClientSpec.Repeat, names: [String], clients: SimulatedClients) async {
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(job.milliseconds))
            tick += 1
            let arguments = ClientValue.resolve(job.arguments, tick: tick)
            for name in names {
                guard let client = clients.client(name), client.state == .connected else { continue }
                switch job.kind {
                case .emit: try? client.socket.emit(job.event, arguments)
                case .ask: _ = try? await client.socket.emitWithAck(job.event, arguments, timeout: .seconds(5))
                }
            }
        }
    }
}
