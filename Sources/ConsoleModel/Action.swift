import WireJSON
import SocketIOTrace

/// Everything that can happen to the console: keys resolved by the keymap, trace events from the
/// cores, results of effects, the clock.
public enum Action: Sendable {
    // From the cores.
    case trace([TraceEvent], time: Double)
    case queueDropped(total: Int)
    /// A reconciliation: the cores' tables read whole, replacing what the trace built.
    case snapshot(ConsoleSnapshot)
    /// A simulated client's row changed (connecting, connected, refused, disconnected).
    case clientChanged(SocketInfo)
    /// A simulated client was disconnected and forgotten.
    case clientGone(name: String)
    case tick(now: Double)
    /// A note for the status line (signals, the runtime's own remarks).
    case report(StatusMessage)
    /// An effect finished: how it turned out.
    case outcome(EffectOutcome)

    // Navigation.
    case focus(Pane)
    case focusNext
    case focusPrevious
    case move(Int)
    case moveToTop
    case moveToBottom
    case pageDown
    case pageUp
    /// The first `g` of `gg`.
    case prefix(Character)
    case drillIn
    case back

    // Toggles.
    case toggleFollow
    case togglePause
    case toggleMaximize
    case clearPackets
    case nextTheme
    case showHelp
    case closeHelp

    // The bottom line.
    case beginInput(InputKind)
    case inputInsert(Character)
    case inputBackspace
    case inputDelete
    case inputCursor(Int)
    case inputHome
    case inputEnd
    case inputHistory(Int)
    case inputSubmit
    case inputCancel

    // Actions on the selection.
    case toggleRejectSelected
    case spawnIntoSelected
    case disconnectSelected

    /// A typed command, as `:` submits it (also what tests drive).
    case run(String)

    // The guided tour.
    /// The lessons loaded, opened at lesson `id` (the first when nil or unknown) and `step`.
    case tourOpen([Lesson], lesson: String?, step: Int)
    /// One step on (1) or back (-1).
    case tourMove(Int)
    /// Runs the step's commands; the packets they produce are marked as they come.
    case tourRun
    case tourAnswer(String)
    case tourClose
    /// Draw the whole screen again (Ctrl-L, a resize).
    case redraw
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    case suspend
    case quit
}

/// What the reducer asks the outside world to do. The runtime performs each and reports back
/// with `.report`.
public enum Effect: Sendable, Hashable {
    case emit(EmitRequest)
    /// nil middleware: every middleware of that scope. nil verdict: back to the middleware's own rule.
    case setOverride(scope: MiddlewareScope, middleware: String?, ForcedVerdict?)
    case spawn(count: Int, namespace: String, auth: JSONObject?, transport: TraceTransport?, options: SpawnOptions = .init())
    case disconnect(SocketRef)
    /// A fault on a simulated client's connection.
    case fault(ClientFault, client: String)
    case join(SocketRef, room: String)
    case leave(SocketRef, room: String)
    case save(path: String, lines: [String])
    /// Load the lessons (and where the operator stopped) and open the tour at `name`, if given.
    case openTour(name: String?)
    /// Remember where the operator is in the tour.
    case saveTourProgress(lesson: String, step: Int)
    /// For the terminal, not the cores: forget what is on screen and draw it all.
    case redraw
    /// For the terminal: restore it, stop the process (SIGTSTP), take it back on `fg`.
    case suspend
    case quit
}

public struct SocketRef: Sendable, Hashable {
    public var side: TraceSide
    public var id: String
    public var namespace: String

    public init(side: TraceSide, id: String, namespace: String) {
        self.side = side
        self.id = id
        self.namespace = namespace
    }
}

public enum EmitTarget: Sendable, Hashable {
    case namespace(String)
    case socket(SocketRef)
    case room(namespace: String, room: String)
}

public struct EmitRequest: Sendable, Hashable {
    public enum From: Sendable, Hashable {
        case server(EmitTarget)
        /// A simulated client emits on its own namespace.
        case client(SocketRef)
    }
    public var from: From
    public var event: String
    public var arguments: [JSONValue]
    public var ack: Bool
    public var timeoutSeconds: Double

    public init(from: From, event: String, arguments: [JSONValue], ack: Bool, timeoutSeconds: Double) {
        self.from = from
        self.event = event
        self.arguments = arguments
        self.ack = ack
        self.timeoutSeconds = timeoutSeconds
    }
}
