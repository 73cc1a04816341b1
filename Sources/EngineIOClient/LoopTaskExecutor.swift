import NIOCore

/// Runs a task's jobs on one NIO event loop (a task executor, SE-0417). Connecting awaits the
/// loop's futures a dozen times (submit, connect, upgrade, open, CONNECT); on the default pool
/// each await was a switch to the loop's thread and back, and a futex wake-up when the other side
/// slept. Under this executor's preference the code after each await runs on the loop itself.
/// Only the client's own code runs under it: user callbacks (an auth provider) never do.
public final class LoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
