import ArgumentParser

@main
struct Sioscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sioscope",
        abstract: "A debugging console for Socket.IO (Engine.IO v4 + Socket.IO v5).",
        discussion: """
            The interactive console, the embedded server and the client arrive in later versions. \
            Today: `sioscope explain` dissects packets pasted from a network log.
            """,
        version: "0.1.0",
        subcommands: [Explain.self])
}
