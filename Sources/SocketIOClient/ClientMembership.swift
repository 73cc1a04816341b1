/// One client socket's membership of its namespace, as socket.io-client's Socket keeps it:
/// disconnected, connecting (CONNECT sent), connected (the server's reply with the socket id), and
/// whether the socket wants to be connected, which decides whether it comes back after a
/// reconnection. A value type with one `mutating` method per input; `ClientSocket` keeps it under
/// its lock with the listeners and acks, and performs what it says (send CONNECT or DISCONNECT,
/// resume the waiting `connect()`, tell the disconnect handlers).
struct ClientMembership: Equatable {
    enum Status: Equatable { case disconnected, connecting, connected }

    private(set) var status = Status.disconnected
    /// The socket id the server gave, kept until the leaving is reported (`takeID`).
    private(set) var id: String?
    /// Set by `connect()`, cleared by the client's `disconnect()` or the server's DISCONNECT.
    private(set) var wantsConnection = false

    var isConnected: Bool { status == .connected }

    /// Connected, connecting, or meaning to be: what keeps the manager's connection open.
    var isActive: Bool { wantsConnection || status != .disconnected }

    /// `connect()`: the id when connected already (nothing to send), else nil and CONNECT goes out.
    mutating func connectRequested() -> String? {
        wantsConnection = true
        if status == .connected { return id }
        status = .connecting
        return nil
    }

    /// No answer to CONNECT in time: true when it was still waited for.
    mutating func connectTimedOut() -> Bool {
        guard status == .connecting else { return false }
        status = .disconnected
        return true
    }

    /// The server's CONNECT reply.
    mutating func connected(id: String) {
        status = .connected
        self.id = id
    }

    /// CONNECT_ERROR: refused by a middleware (the socket may try again with `connect()`).
    mutating func refused() {
        status = .disconnected
    }

    /// The server's DISCONNECT: not undone by reconnecting, as in socket.io-client.
    mutating func serverDisconnected() {
        status = .disconnected
        wantsConnection = false
    }

    /// `disconnect()`: true when connected, so DISCONNECT is sent.
    mutating func clientDisconnected() -> Bool {
        defer {
            status = .disconnected
            wantsConnection = false
        }
        return status == .connected
    }

    /// The connection ended: the socket is disconnected but still wants to be (it rejoins).
    mutating func connectionLost() {
        status = .disconnected
    }

    /// After a reconnection: true when CONNECT must be sent again.
    mutating func rejoinNeeded() -> Bool {
        guard wantsConnection, status != .connected else { return false }
        status = .connecting
        return true
    }

    /// The id to report the leaving with, once (nil when never connected or reported already).
    mutating func takeID() -> String? {
        defer { id = nil }
        return id
    }
}
