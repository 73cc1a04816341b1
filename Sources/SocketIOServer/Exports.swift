// Users of the server deal in packets' JSON values and Engine.IO settings; both come with it.
@_exported import EngineIOProtocol
@_exported import EngineIOServer
@_exported import SocketIOProtocol
// Traces, and the middleware overrides they report, are part of the server's API.
@_exported import SocketIOTrace
