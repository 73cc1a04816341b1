// The JSON value type is part of this module's API (packet payloads), so it comes with it.
@_exported import WireJSON
