// Packets and handshakes are part of this module's API; they come with it.
@_exported import EngineIOProtocol
