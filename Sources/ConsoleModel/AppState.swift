import SocketIOTrace

/// Everything the console shows and remembers. Changed only by `reduce`, on the UI thread.
public struct AppState: Sendable {
    /// What the console is attached to, for the status bar (`srv 127.0.0.1:3000`).
    public var endpoint: String
    public var scenario: String
    /// False when attached to someone else's server: only client-side actions are possible.
    public var hasServer = true
    public var snapshot = ConsoleSnapshot()
    /// The guided tour, while it is open.
    public var tour: TourState?
    public var packets: RingBuffer<PacketRecord>
    public var decisions: RingBuffer<DecisionRecord>
    /// Messages for the operator: results of actions, errors. The newest shows in the status line.
    public var messages: RingBuffer<StatusMessage>
    /// How the operator's effects turned out, newest last (acks with their replies, refusals with
    /// their data), for whatever shows them beside what they answer.
    public var outcomes: RingBuffer<EffectOutcome>
    /// Trace events the bounded queue between the cores and the UI had to drop.
    public var queueDropped = 0
    /// Packets not captured because capture was paused.
    public var pausedSkipped = 0

    public var focus: Pane = .packets
    public var selection: [Pane: Int] = [:]
    public var selectedPacketSeq: Int?
    /// The packets pane sticks to the newest packet.
    public var follow = true
    public var paused = false
    public var maximized = false
    public var filter = PacketFilter.none
    /// Set by Enter on a namespace or a socket: the sockets and packets panes show only that one.
    public var narrowNamespace: String?
    public var narrowSID: String?
    /// Lines scrolled in the detail pane.
    public var detailScroll = 0
    /// Lines scrolled in the help overlay.
    public var helpScroll = 0

    public var mode: Mode = .normal
    public var input = TextField()
    public var history: [String] = []
    var historyCursor: Int?
    /// The first key of a two-key chord (`g` of `gg`).
    public var pendingKey: Character?

    public var themeNames: [String]
    public var themeName: String
    public var quitting = false

    /// Packets per second over the last full second.
    public var packetRate = 0
    var rateWindowStart: Double = 0
    var rateWindowCount = 0
    var nextSeq = 1
    var ackEmits: [PacketRecord.AckKey: Int] = [:]
    /// Both ends of every answered ack, by sequence number.
    var ackLinks: [Int: Int] = [:]

    public init(endpoint: String, scenario: String, themeNames: [String] = ["fallback"], themeName: String? = nil,
                packetCapacity: Int = 10_000, packetByteBudget: Int = 32 << 20, decisionCapacity: Int = 2_000) {
        self.endpoint = endpoint
        self.scenario = scenario
        self.themeNames = themeNames.isEmpty ? ["fallback"] : themeNames
        self.themeName = themeName ?? self.themeNames[0]
        packets = RingBuffer(capacity: packetCapacity, byteBudget: packetByteBudget)
        decisions = RingBuffer(capacity: decisionCapacity)
        messages = RingBuffer(capacity: 200)
        outcomes = RingBuffer(capacity: 200)
    }

    public var status: StatusMessage? { messages.last }

    /// The other end of an ack: for an emit, the ACK that answered it; for an ACK, its emit.
    public func linkedSeq(of record: PacketRecord) -> Int? { ackLinks[record.seq] }
}

public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}
