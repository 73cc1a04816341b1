#if canImport(Glibc)
import Glibc
#endif

/// Every connection is a file descriptor, on the server and in `bench`. Many systems start
/// processes with a soft limit of 1,024 open files under a much higher hard limit; sioscope raises
/// its soft limit to the hard one at start (as Go programs do), so a server or a ramp of thousands
/// of clients is not cut off at a thousand.
enum OpenFileLimit {
    /// Raises the soft limit to the hard limit (capped at `ceiling` when the hard one is unlimited,
    /// RLIM_INFINITY, which the kernel refuses for open files).
    /// Returns the limit in force afterwards, or nil if it cannot be read.
    @discardableResult
    static func raiseToHardLimit(ceiling: rlim_t = 1 << 20) -> rlim_t? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        let wanted = limit.rlim_max == rlim_t.max ? max(limit.rlim_cur, ceiling) : limit.rlim_max
        guard limit.rlim_cur < wanted else { return limit.rlim_cur }
        let before = limit.rlim_cur
        limit.rlim_cur = wanted
        return setrlimit(resource, &limit) == 0 ? wanted : before
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
