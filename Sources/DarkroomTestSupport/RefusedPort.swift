import Foundation

/// A loopback port where nobody listens: every connection to it is refused
/// (ECONNREFUSED, as from a server that is not there), and for as long as this
/// object lives the kernel gives the port to no other socket that binds port 0.
///
/// Why tests need it: a test that stops a server and then expects "cannot reach
/// the server" races every other test in the process (and every other process)
/// that starts a server meanwhile, since a freed port is soon handed out again.
/// Once that happened in CI: a submit meant for a closed port reached another
/// test's simulator. Holding the port bound, without ever listening, closes that
/// race. (Measured on Linux 6.18: 19,000 binds of port 0 never got a port held
/// this way; a listener merely shut down did not hold its port.)
///
/// Keep the object alive for as long as the port must refuse, e.g.
/// `defer { withExtendedLifetime(gone) {} }`. Linux only; IPv4 loopback.
public final class RefusedPort: Sendable {
    public let port: UInt16
    private let fd: Int32

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// A fresh port that refuses.
    public convenience init() throws { try self.init(port: 0) }

    /// Holds `port` (that of a server just stopped) so that it keeps refusing.
    /// `SO_REUSEADDR` lets it take a port that still has connections in
    /// TIME_WAIT; a port some other socket already holds is `EADDRINUSE`.
    public init(port: UInt16) throws {
        guard let (fd, bound) = LoopbackSocket.bound(port: port) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
        self.fd = fd
        self.port = bound
    }

    /// Holds the port of `url` (`http://127.0.0.1:PORT`).
    public convenience init(taking url: URL) throws {
        guard let port = url.port.flatMap(UInt16.init(exactly:)) else { throw POSIXError(.EINVAL) }
        try self.init(port: port)
    }

    deinit { close(fd) }
}
