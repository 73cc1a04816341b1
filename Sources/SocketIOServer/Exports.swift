// Users of the server deal in packets' JSON values and Engine.IO settings; both come with it.
@_exported import EngineIOProtocol
@_exported import EngineIOServer
@_exported import SocketIOProtocol
