import Foundation
import Synchronization

/// A small HTTP proxy on 127.0.0.1, for the tests of proxy support. It takes
/// `CONNECT host:port` (a tunnel, as clients use for https) and absolute-form
/// requests (`GET http://host/path`, as clients send plain http through a
/// proxy), and sends every host to one port on loopback (`upstreamPort`), so a
/// test can use a name that does not resolve here: reaching it proves the
/// proxy was used. Absolute-form requests are forwarded one per connection
/// (`Connection: close`).
///
/// `refuse` makes it answer every request with that status instead (407: it
/// wants credentials). One thread per connection. For tests only.
public final class TestProxy: Sendable {
    public let port: UInt16
    private let listenFD: Int32
    private let upstreamPort: UInt16
    private let refuse: Int?
    private struct Seen {
        var lines: [String] = []
        var authorizations: [String] = []
        var stopped = false
    }
    private let state = Mutex(Seen())

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The request lines received, in order: `CONNECT api.darkroom.test:443 HTTP/1.1`, `GET http://... HTTP/1.1`.
    public var requestLines: [String] { state.withLock { $0.lines } }
    /// The `Proxy-Authorization` values received.
    public var authorizations: [String] { state.withLock { $0.authorizations } }

    public init(upstreamPort: UInt16, refuse: Int? = nil) throws {
        guard let (fd, bound) = LoopbackSocket.bound(port: 0) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
        guard listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        listenFD = fd
        port = bound
        self.upstreamPort = upstreamPort
        self.refuse = refuse
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting; tunnels already open end when either side closes.
    public func stop() {
        let first = state.withLock { s in defer { s.stopped = true }; return !s.stopped }
        if first { shutdown(listenFD, Int32(SHUT_RDWR)); close(listenFD) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard var (head, rest) = Self.readHead(client) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.first ?? ""
        let auth = lines.first { $0.lowercased().hasPrefix("proxy-authorization:") }
        state.withLock { s in
            s.lines.append(requestLine)
            if let auth { s.authorizations.append(String(auth.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces)) }
        }
        if let refuse {
            Self.send(client, Array("HTTP/1.1 \(refuse) Refused\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, let upstream = Self.connect(port: upstreamPort) else {
            Self.send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        defer { close(upstream) }
        if parts[0] == "CONNECT" {
            Self.send(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
        } else {
            // Absolute form to origin form, one request per connection.
            guard let target = URLComponents(string: String(parts[1])) else { return }
            let path = (target.percentEncodedPath.isEmpty ? "/" : target.percentEncodedPath)
                + (target.percentEncodedQuery.map { "?" + $0 } ?? "")
            var headers = lines.dropFirst().filter { !$0.isEmpty && !$0.lowercased().hasPrefix("connection:")
                && !$0.lowercased().hasPrefix("proxy-") }
            headers.append("Connection: close")
            head = (["\(parts[0]) \(path) \(parts[2])"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
            Self.send(upstream, Array(head.utf8) + rest)
            rest = []
        }
        if !rest.isEmpty { Self.send(upstream, rest) }
        Self.splice(client, upstream)
    }

    /// Reads up to the end of the request head; returns it (without the blank line) and any bytes after it.
    static func readHead(_ fd: Int32) -> (String, [UInt8])? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while bytes.count < 65536 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            bytes += buffer[0..<n]
            if let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) {
                return (String(decoding: bytes[..<end.lowerBound], as: UTF8.self), Array(bytes[end.upperBound...]))
            }
        }
        return nil
    }

    static func connect(port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = LoopbackSocket.address(port: port)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if !ok { close(fd); return nil }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Copies bytes both ways until either side closes.
    static func splice(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while poll(&fds, 2, -1) > 0 {
            for (i, p) in fds.enumerated() where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n <= 0 { return }
                send(i == 0 ? b : a, Array(buffer[0..<n]))
            }
        }
    }
}
