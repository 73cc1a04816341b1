import ArgumentParser
import ProtocolExplain
import SocketIOProtocol
import EngineIOProtocol

#if canImport(Glibc)
import Glibc
#endif

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dissect Engine.IO / Socket.IO packets, field by field.",
        discussion: """
            Each RAW is one of:
              a WebSocket frame        '451-/admin,12["upload",{"_placeholder":true,"num":0}]'
              a polling body           '4hello\\x1e2\\x1e4world' (the separator as the byte, \\x1e or ␞)
              a binary message         'bAQIDBA==' (b + base64, as in polling bodies)
            Inputs are read in order as one conversation: attachments after a BINARY_EVENT join it.
            Use - to read inputs from standard input, one per line.
            Exit status: 0 explained, 1 an input was refused (the message points at the byte), 64 bad arguments.
            """)

    @Argument(help: "Packets to explain, in order.")
    var raw: [String]

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    @Option(help: "What the inputs are: engineio (frames and bodies carrying Socket.IO), socketio (packet text without the leading 4), or engineio-only (a plain Engine.IO app).")
    var layer: PacketExplainer.Layer = .engineIO

    @Option(help: "Largest number of binary attachments a packet may declare.")
    var maxAttachments = SocketLimits().maxAttachments

    @Option(help: "Deepest JSON nesting accepted.")
    var maxDepth = SocketLimits().maxDepth

    func validate() throws {
        if raw.isEmpty { throw ValidationError("give at least one packet to explain (or - for standard input)") }
        if maxAttachments < 0 { throw ValidationError("--max-attachments must be 0 or more") }
        if !(1...JSONLimits.deepest).contains(maxDepth) { throw ValidationError("--max-depth must be between 1 and \(JSONLimits.deepest)") }
    }

    func run() throws {
        var inputs: [String] = []
        for item in raw {
            if item == "-" {
                while let line = readLine(strippingNewline: true) {
                    if !line.isEmpty { inputs.append(line) }
                }
            } else {
                inputs.append(item)
            }
        }
        let (output, failed) = report(for: inputs)
        print(output, terminator: "")
        if failed { throw ExitCode(1) }
    }

    /// The text to print and whether an input was refused.
    func report(for inputs: [String]) -> (output: String, failed: Bool) {
        let explainer = PacketExplainer(
            layer: layer,
            socketLimits: SocketLimits(maxAttachments: maxAttachments, maxDepth: maxDepth))
        let explanation = explainer.explain(inputs)
        let output = json ? explanation.json.jsonText + "\n" : ExplanationText.render(explanation)
        return (output, explanation.hasError)
    }
}

extension PacketExplainer.Layer: ExpressibleByArgument {}
