/// Runs asynchronous handlers one at a time, in the order they were given: a socket's events reach
/// its `async` handlers in the order they arrived, and the next starts when the one before returns.
/// A socket makes its lane on its first `async` handler, so sockets without one pay nothing.
///
/// Jobs wait in an unbounded queue: the application's handlers set the pace, as socket.io's do. A
/// handler that never returns holds up the later events of its socket only (not other sockets, not
/// the event loop, not acks the handler itself awaits, which arrive without the lane).
public final class HandlerLane: Sendable {
    public typealias Job = @Sendable () async -> Void
    private let jobs: AsyncStream<Job>.Continuation

    public init() {
        let (stream, jobs) = AsyncStream.makeStream(of: Job.self)
        self.jobs = jobs
        // The task owns the stream, not the lane: when the lane goes, the queue drains and the task ends.
        Task {
            for await job in stream { await job() }
        }
    }

    deinit { jobs.finish() }

    /// Queues `job` behind every job given before it.
    public func run(_ job: @escaping Job) {
        jobs.yield(job)
    }

    /// Takes no more jobs; those already queued still run.
    public func close() {
        jobs.finish()
    }
}

extension Optional where Wrapped == HandlerLane {
    /// The lane kept here, made on first use (sockets call it under their state's lock).
    public mutating func madeIfNeeded() -> HandlerLane {
        if let lane = self { return lane }
        let lane = HandlerLane()
        self = lane
        return lane
    }
}
