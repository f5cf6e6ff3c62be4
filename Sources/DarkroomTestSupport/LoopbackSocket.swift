import Foundation

/// Plain TCP sockets on 127.0.0.1, for the test servers (`ScriptedHTTPServer`,
/// `RefusedPort`) and the tests that probe a port.
public enum LoopbackSocket {
    /// A TCP socket bound to 127.0.0.1:`port` (0: a free port the kernel picks),
    /// not listening, and the port it got; `SO_REUSEADDR` unless told otherwise
    /// (as servers set it). On failure, nil with `errno` set; nothing is left open.
    public static func bound(port: UInt16, reuseAddress: Bool = true) -> (fd: Int32, port: UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if reuseAddress {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = address(port: port)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else {
            let saved = errno
            close(fd)
            errno = saved
            return nil
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    /// 127.0.0.1:`port` as a socket address.
    public static func address(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        return addr
    }
}
