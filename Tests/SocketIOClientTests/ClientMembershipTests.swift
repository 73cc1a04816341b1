@testable import SocketIOClient
import Testing

/// A client socket's membership of its namespace, input by input.
@Suite("Client namespace membership")
struct ClientMembershipTests {
    @Test("connect, the server's reply, a lost connection, the rejoin, and the client's disconnect")
    func lifecycle() {
        var m = ClientMembership()
        #expect(!m.isActive)
        #expect(m.connectRequested() == nil, "CONNECT goes out")
        #expect(m.status == .connecting && m.isActive)
        m.connected(id: "abc")
        #expect(m.isConnected && m.id == "abc")
        #expect(m.connectRequested() == "abc", "connected already: nothing to send")
        m.connectionLost()
        #expect(m.status == .disconnected && m.isActive, "still wants to be connected")
        #expect(m.rejoinNeeded() == true)
        #expect(m.status == .connecting)
        m.connectionLost()
        #expect(m.rejoinNeeded() == true, "a CONNECT sent on a connection that was lost is sent again")
        m.connected(id: "def")
        #expect(m.rejoinNeeded() == false, "connected: nothing to send")
        #expect(m.clientDisconnected() == true, "connected: DISCONNECT is sent")
        #expect(!m.isActive)
        #expect(m.rejoinNeeded() == false)
        #expect(m.takeID() == "def")
        #expect(m.takeID() == nil, "reported once")
    }

    @Test("the server's DISCONNECT is not undone by a reconnection")
    func serverDisconnect() {
        var m = ClientMembership()
        _ = m.connectRequested()
        m.connected(id: "a")
        m.serverDisconnected()
        #expect(!m.isActive)
        #expect(m.rejoinNeeded() == false)
    }

    @Test("a refusal and a timeout leave it disconnected; only a CONNECT still waited for times out")
    func refusedAndTimedOut() {
        var m = ClientMembership()
        _ = m.connectRequested()
        m.refused()
        #expect(m.status == .disconnected)
        #expect(m.connectTimedOut() == false, "nothing waited for")
        _ = m.connectRequested()
        #expect(m.connectTimedOut() == true)
        #expect(m.status == .disconnected)
        #expect(m.isActive, "connect() was called: it still wants the namespace")
    }

    @Test("disconnect() before connecting sends nothing and ends the wish")
    func disconnectEarly() {
        var m = ClientMembership()
        _ = m.connectRequested()
        #expect(m.clientDisconnected() == false)
        #expect(!m.isActive)
    }
}
