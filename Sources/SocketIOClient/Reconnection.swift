/// How a manager reconnects after losing its connection, with socket.io-client's defaults.
public struct ReconnectionOptions: Sendable {
    public var enabled: Bool
    /// Attempts before giving up (`Int.max`: never give up).
    public var attempts: Int
    /// The first delay, in milliseconds; it doubles with each attempt...
    public var delayMilliseconds: Int
    /// ...up to this.
    public var maxDelayMilliseconds: Int
    /// How far (as a fraction) each delay may stray from its nominal value, to spread reconnects out.
    public var randomizationFactor: Double

    public init(enabled: Bool = true, attempts: Int = .max, delayMilliseconds: Int = 1_000,
                maxDelayMilliseconds: Int = 5_000, randomizationFactor: Double = 0.5) {
        self.enabled = enabled
        self.attempts = attempts
        self.delayMilliseconds = delayMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.randomizationFactor = min(max(randomizationFactor, 0), 1)
    }

    /// The delay before attempt `attempt` (from 1): exponential, jittered, capped.
    public func delay(beforeAttempt attempt: Int, random: Double) -> Int {
        let exponent = min(attempt - 1, 30)
        var ms = Double(delayMilliseconds) * Double(1 << exponent)
        if randomizationFactor > 0 {
            let deviation = (random * randomizationFactor * ms).rounded(.down)
            ms = Int(random * 10) & 1 == 0 ? ms - deviation : ms + deviation
        }
        return Int(min(ms, Double(maxDelayMilliseconds)))
    }
}

/// When a manager tries to reconnect and when it gives up, as socket.io-client's Manager does: a
/// lost connection (not one closed on purpose) starts attempts with jittered exponential delays;
/// success rejoins the sockets; after `attempts` failures it gives up; `close()` stops it at any step.
///
/// A value type with one `mutating` method per input, returning what to do; `SocketManager` sleeps,
/// connects and calls the handlers. The randomness of the jitter is an input.
struct ReconnectionMachine: Sendable {
    enum Phase: Equatable {
        /// Connected, or connecting for the first time.
        case connected
        /// Waiting before this attempt.
        case waiting(attempt: Int)
        case attempting(Int)
        case gaveUp
        /// Closed on purpose: nothing reconnects until the manager is opened again.
        case stopped
    }

    enum Action: Equatable {
        case none
        /// Wait this long, then call `delayElapsed`.
        case wait(milliseconds: Int)
        /// Make attempt N: tell the attempt handlers, open a new connection, then report the outcome.
        case attempt(Int)
        /// Connected again after N attempts: tell the success handlers, every socket rejoins.
        case rejoin(afterAttempts: Int)
        /// Every attempt failed: tell the failure handlers.
        case giveUp
    }

    let options: ReconnectionOptions
    private(set) var phase = Phase.connected

    init(options: ReconnectionOptions) {
        self.options = options
    }

    var isStopped: Bool { phase == .stopped }

    /// `open()`: the manager is wanted connected again (after a close on purpose, or giving up).
    mutating func opened() {
        if phase == .stopped || phase == .gaveUp { phase = .connected }
    }

    /// `close()`, or the last socket left: no reconnection from now on, and a wait under way ends.
    mutating func closedOnPurpose() {
        phase = .stopped
    }

    /// The connection was lost (the server or the network ended it).
    mutating func connectionLost(random: Double) -> Action {
        guard options.enabled, phase == .connected else { return .none }
        return wait(before: 1, random: random)
    }

    mutating func delayElapsed() -> Action {
        guard case .waiting(let attempt) = phase else { return .none }
        phase = .attempting(attempt)
        return .attempt(attempt)
    }

    mutating func attemptSucceeded() -> Action {
        guard case .attempting(let attempt) = phase else { return .none }
        phase = .connected
        return .rejoin(afterAttempts: attempt)
    }

    mutating func attemptFailed(random: Double) -> Action {
        guard case .attempting(let attempt) = phase else { return .none }
        guard attempt < options.attempts else {
            phase = .gaveUp
            return .giveUp
        }
        return wait(before: attempt + 1, random: random)
    }

    private mutating func wait(before attempt: Int, random: Double) -> Action {
        phase = .waiting(attempt: attempt)
        return .wait(milliseconds: options.delay(beforeAttempt: attempt, random: random))
    }
}
