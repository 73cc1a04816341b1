import NIOCore

/// One flush (one system call) for every frame written to a connection in one turn of the event
/// loop, instead of one per frame: under load, acks and broadcasts to a peer leave together.
/// While the connection is reading, the end of the read flushes what its packets caused (no task
/// at all); otherwise a task at the end of the turn does. Confined to its owner's event loop,
/// which is what makes it Sendable.
public final class FlushCoalescer: @unchecked Sendable {
    private let eventLoop: any EventLoop
    private var pending: (any Channel)?
    private var scheduled = false
    private var reading = false
    /// Made once: a new closure for every flush was an allocation per flush.
    private var flushPending: (@Sendable () -> Void)?

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        flushPending = { [weak self] in
            guard let self else { return }
            self.scheduled = false
            self.flushNow()
        }
    }

    /// Call on the owner's loop after writing to `channel`.
    public func flushSoon(_ channel: any Channel) {
        if let waiting = pending, waiting !== channel {
            waiting.flush()   // the owner moved to another connection in this turn
        }
        pending = channel
        guard !reading, !scheduled else { return }
        scheduled = true
        eventLoop.execute(flushPending!)
    }

    /// A connection of the owner is handing over what it read. Only a connection on the owner's
    /// loop counts (its packets are handled within the read); elsewhere this does nothing.
    public func readStarted() {
        guard eventLoop.inEventLoop else { return }
        reading = true
    }

    /// The read is over (or the connection closed during it): what it caused leaves now.
    public func readComplete() {
        guard eventLoop.inEventLoop else { return }
        reading = false
        flushNow()
    }

    private func flushNow() {
        guard let channel = pending else { return }
        pending = nil
        channel.flush()
    }
}
