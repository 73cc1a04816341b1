import Testing
@testable import sioscope

@Suite("event loops follow the CPU affinity mask")
struct EventLoopSizingTests {
    @Test("Cpus_allowed masks are counted bit by bit", arguments: [
        ("Name:\tsioscope\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2),
        ("Cpus_allowed:\t2\n", 1),
        ("Cpus_allowed:\tffffffff,ffffffff\n", 64),
        ("Cpus_allowed:\t00000000,00000101\n", 2),
    ])
    func counted(status: String, cpus: Int) {
        #expect(EventLoopSizing.allowedCPUs(status: status) == cpus)
    }

    @Test("no mask, an empty mask or a malformed one tell nothing", arguments: [
        "Name:\tsioscope\n", "Cpus_allowed:\t0\n", "Cpus_allowed:\tzz\n",
    ])
    func unknown(status: String) {
        #expect(EventLoopSizing.allowedCPUs(status: status) == nil)
    }

    @Test("this process's own mask is read")
    func own() {
        #expect((EventLoopSizing.allowedCPUs() ?? 0) >= 1)
    }
}
