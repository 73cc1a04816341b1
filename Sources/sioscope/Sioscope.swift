import ArgumentParser
import EngineIOServer

@main
struct Sioscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sioscope",
        abstract: "A debugging console for Socket.IO (Engine.IO v4 + Socket.IO v5).",
        discussion: """
            With no subcommand, sioscope opens the live console with an embedded server on \
            127.0.0.1:3000 running the demo scenario. `sioscope connect URL` attaches the console to \
            another server as a client; `sioscope serve` runs the embedded server headless, streaming \
            its trace; `sioscope explain` dissects packets pasted from a network log.
            """,
        version: "0.2.0",
        subcommands: [Console.self, Tour.self, Connect.self, Listen.self, EmitOnce.self, Bench.self, Serve.self, Explain.self],
        defaultSubcommand: Console.self)

    /// ArgumentParser's own entry point, after sizing the event loops to the CPUs we may use and
    /// raising the open-file limit as far as allowed.
    static func main() async {
        EventLoopSizing.followCPUAffinity()
        OpenFileLimit.raiseToHardLimit()
        await main(nil)
    }
}
