#if canImport(Glibc)
import Glibc
#endif

/// Every connection is a file descriptor. Many systems start processes with a soft limit of
/// 1,024 open files under a much higher hard limit: `sioscope` raises its soft limit to the hard
/// one at start (as Go programs do), and a listener keeps its connections under the limit
/// (`ConnectionCounter`).
public enum OpenFileLimit {
    /// The soft limit in force, or nil when it cannot be read or is unlimited.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return nil }
        return Int(limit.rlim_cur)
    }

    /// Raises the soft limit to the hard limit (to `ceiling` when the hard one is unlimited,
    /// RLIM_INFINITY, which the kernel refuses for open files). Left as it is if that fails.
    public static func raiseToHardLimit(ceiling: rlim_t = 1 << 20) {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = limit.rlim_max == rlim_t.max ? max(limit.rlim_cur, ceiling) : limit.rlim_max
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(resource, &limit)
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
