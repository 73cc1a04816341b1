/// The two Engine.IO transports: HTTP long-polling and WebSocket.
public enum EngineTransport: String, Sendable, Hashable, CaseIterable {
    case polling
    case websocket
}
