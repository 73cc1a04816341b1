@_exported import WireJSON
@_exported import SocketIOTrace
