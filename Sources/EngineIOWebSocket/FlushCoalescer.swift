import NIOCore

/// One flush (one system call) for every frame written to a connection in one turn of the event
/// loop, instead of one per frame: under load, acks and broadcasts to a peer leave together.
/// Confined to its owner's event loop, which is what makes it Sendable.
public final class FlushCoalescer: @unchecked Sendable {
    private let eventLoop: any EventLoop
    private var pending: (any Channel)?
    /// Made once: a new closure for every flush was an allocation per flush.
    private var flushPending: (@Sendable () -> Void)?

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        flushPending = { [weak self] in
            guard let self, let channel = self.pending else { return }
            self.pending = nil
            channel.flush()
        }
    }

    /// Call on the owner's loop after writing to `channel`.
    public func flushSoon(_ channel: any Channel) {
        if let waiting = pending {
            guard waiting !== channel else { return }
            waiting.flush()   // the owner moved to another connection in this turn
            pending = channel
            return
        }
        pending = channel
        eventLoop.execute(flushPending!)
    }
}
