import EngineIOWebSocket
import NIOCore

/// The time a connection has to send a request head (slow-header defence): when it runs out the
/// connection is closed, and traced as a 408 when the head was the connection's first (a
/// keep-alive connection that goes quiet is not an error). Used on a connection's loop only.
struct HeadDeadline {
    let timers: LoopTimers
    let report: @Sendable (_ status: Int, _ message: String, _ remoteAddress: String?) -> Void
    private var timer: LoopTimer?

    init(timers: LoopTimers, report: @escaping @Sendable (Int, String, String?) -> Void) {
        self.timers = timers
        self.report = report
    }

    var isArmed: Bool { timer != nil }

    mutating func arm(context: ChannelHandlerContext, wait: Duration, firstRequest: Bool) {
        timer?.cancel()
        let report = self.report
        timer = timers.schedule(in: TimeAmount(wait)) {
            if firstRequest {
                report(408, "no complete request head within \(wait)", addressText(context.channel.remoteAddress))
            }
            context.close(promise: nil)
        }
    }

    mutating func cancel() {
        timer?.cancel()
        timer = nil
    }
}
