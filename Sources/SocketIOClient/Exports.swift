// Packets' JSON values and the Engine.IO client's settings come with the Socket.IO client.
@_exported import EngineIOClient
@_exported import SocketIOProtocol
@_exported import SocketIOTrace
