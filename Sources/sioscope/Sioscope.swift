import ArgumentParser

@main
struct Sioscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sioscope",
        abstract: "A debugging console for Socket.IO (Engine.IO v4 + Socket.IO v5).",
        discussion: """
            The interactive console and the client arrive in later versions. Today: `sioscope serve` \
            runs a Socket.IO server from a scenario, and `sioscope explain` dissects packets pasted \
            from a network log.
            """,
        version: "0.1.0",
        subcommands: [Serve.self, Explain.self])
}
