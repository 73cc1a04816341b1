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
