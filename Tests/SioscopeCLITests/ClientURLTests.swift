import ArgumentParser
import SocketIOClient
import Testing
@testable import sioscope

/// The client commands read a URL as socket.io-client does: its path is the namespace.
@Suite("client URLs")
struct ClientURLTests {
    @Test("the URL's path is the namespace; the Engine.IO path is --path", arguments: [
        ("http://127.0.0.1:3000", "/", "/socket.io/"),
        ("http://127.0.0.1:3000/", "/", "/socket.io/"),
        ("http://127.0.0.1:3000/admin", "/admin", "/socket.io/"),
        ("http://127.0.0.1:3000/admin?x=1", "/admin", "/socket.io/"),
        ("ws://[::1]:8080/ws-42#frag", "/ws-42", "/socket.io/"),
        ("https://example.com/orders", "/orders", "/socket.io/"),
        // What servers print: the Engine.IO path itself names no namespace.
        ("http://127.0.0.1:3000/socket.io/", "/", "/socket.io/"),
        ("http://127.0.0.1:3000/socket.io", "/", "/socket.io/"),
    ])
    func namespaceFromPath(_ url: String, _ namespace: String, _ enginePath: String) throws {
        let parsed = try SocketIOURL(url)
        #expect(parsed.namespace == namespace)
        #expect(parsed.configuration.path == enginePath)
        let (server, joined) = try ClientArguments.target(url: url, path: "/socket.io/", namespaces: [])
        #expect(joined == [namespace])
        #expect(server.configuration.path == "/socket.io/")
    }

    @Test("--path moves the Engine.IO path and leaves the namespace to the URL")
    func customPath() throws {
        let (server, joined) = try ClientArguments.target(url: "http://h:1/admin", path: "/realtime/", namespaces: [])
        #expect(server.configuration.path == "/realtime/")
        #expect(server.configuration.host == "h" && server.configuration.port == 1)
        #expect(joined == ["/admin"])
        let mounted = try ClientArguments.target(url: "http://h:1/realtime/", path: "/realtime/", namespaces: ["/admin"])
        #expect(mounted.namespaces == ["/admin"], "the mount path itself is not a namespace")
    }

    @Test("--namespace adds namespaces; the same one as the URL's is fine; another is refused")
    func namespaceOptions() throws {
        #expect(try ClientArguments.target(url: "http://h:1", path: "/socket.io/", namespaces: ["/", "/admin"]).namespaces == ["/", "/admin"])
        #expect(try ClientArguments.target(url: "http://h:1/admin", path: "/socket.io/", namespaces: ["/admin"]).namespaces == ["/admin"])
        #expect {
            try ClientArguments.target(url: "http://h:1/admin", path: "/socket.io/", namespaces: ["/chat"])
        } throws: { error in
            "\(error)".contains("the URL names the namespace /admin and --namespace names /chat")
        }
    }

    @Test("bad URLs and paths are refused with the reason")
    func refusals() {
        #expect(throws: ValidationError.self) { try ClientArguments.check(url: "http://h:1/a,b", namespaces: [], auth: nil, caFile: nil) }
        #expect(throws: ValidationError.self) { try ClientArguments.check(url: "http://h:1", path: "socket.io", namespaces: [], auth: nil, caFile: nil) }
        #expect(throws: ValidationError.self) { try ClientArguments.check(url: "ftp://h:1/admin", namespaces: [], auth: nil, caFile: nil) }
    }

    @Test("the commands parse the URL form and --path", arguments: [
        ["listen", "http://127.0.0.1:3000/admin", "--auth", "{\"token\":\"secret\"}"],
        ["emit", "http://127.0.0.1:3000/admin", "delete user", "7", "--namespace", "/admin"],
        ["bench", "echo", "http://127.0.0.1:3000/ws-1", "--path", "/realtime/"],
        ["connect", "http://127.0.0.1:3000/admin", "--path", "/realtime/"],
    ])
    func commandsParse(_ arguments: [String]) throws {
        _ = try Sioscope.parseAsRoot(arguments)
    }

    @Test("emit refuses two different namespaces")
    func emitConflict() {
        #expect(throws: (any Error).self) { _ = try Sioscope.parseAsRoot(["emit", "http://h:1/admin", "x", "--namespace", "/chat"]) }
    }

    @Test("the 404 hint names the path tried, the namespace, and --path")
    func notFoundHint() {
        let hint = ClientExit.notFoundHint(path: "/socket.io/", namespace: "/admin")
        #expect(hint.contains("Engine.IO path /socket.io/"))
        #expect(hint.contains("the namespace (here /admin)"))
        #expect(hint.contains("--path"))
    }
}
