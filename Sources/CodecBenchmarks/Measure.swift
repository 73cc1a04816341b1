/// Runs `body` repeatedly for about `seconds` after a warm-up and returns operations per second.
/// `body` returns a number folded into a checksum so the optimizer cannot drop the work.
func measure(seconds: Double, _ body: () -> Int) -> (opsPerSecond: Double, checksum: Int) {
    let clock = ContinuousClock()
    var checksum = 0
    let warmupEnd = clock.now.advanced(by: .milliseconds(200))
    while clock.now < warmupEnd { checksum &+= body() }
    var operations = 0
    let start = clock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    var elapsed = Duration.zero
    while elapsed < budget {
        for _ in 0..<64 { checksum &+= body() }
        operations += 64
        elapsed = clock.now - start
    }
    let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(operations) / secondsElapsed, checksum)
}

func formatRate(_ value: Double) -> String {
    let whole = Int(value.rounded())
    var digits = Array(String(whole))
    var i = digits.count - 3
    while i > 0 {
        digits.insert(",", at: i)
        i -= 3
    }
    return String(digits)
}

func formatRatio(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)x"
}

func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return right ? fill + s : s + fill
}
