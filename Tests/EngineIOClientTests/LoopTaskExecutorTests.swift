import EngineIOClient
import NIOCore
import NIOPosix
import Testing

@Suite struct LoopTaskExecutorTests {
    @Test("code under the executor's preference runs on its loop, also after awaiting the loop's futures")
    func runsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = LoopTaskExecutor(loop)
        let seen = try await Task(executorPreference: executor) { () async throws -> [Bool] in
            var seen = [loop.inEventLoop]
            _ = try await loop.submit { 1 }.get()
            seen.append(loop.inEventLoop)
            try await loop.scheduleTask(in: .milliseconds(1)) {}.futureResult.get()
            seen.append(loop.inEventLoop)
            return seen
        }.value
        #expect(seen == [true, true, true])
        // Without the preference the same code runs on the pool, not the loop.
        #expect(await Task { loop.inEventLoop }.value == false)
        try await group.shutdownGracefully()
    }
}
