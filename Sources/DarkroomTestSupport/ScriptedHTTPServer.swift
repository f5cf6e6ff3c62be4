import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 over plain sockets, for tests that need
/// a server to misbehave exactly: answer, stall, close in the middle of an
/// exchange, redirect forever, or send far too much. Connections are kept alive
/// unless an action closes them. Every connection and request is counted.
///
/// Limits: request heads up to 64 KiB, bodies by `Content-Length` only; one
/// thread per connection. For tests only.
public final class ScriptedHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: [UInt8]
        /// Which connection (1-based, in accept order) carried it.
        public var connection: Int
    }

    public enum Action: Sendable {
        /// Answer, with `Content-Length` set from the body.
        case respond(status: Int, headers: [String: String], body: [UInt8])
        /// Send these bytes as they are (status line, headers, body), then close the
        /// connection: an HTTP/1.0 server whose body ends where the connection does.
        case rawThenClose([UInt8])
        /// Close the connection without answering.
        case close
        /// Never answer (until the server stops).
        case stall
        /// Answer 200 and send `chunk` again and again, `total` bytes in all (chunked
        /// encoding when `declareLength` is false), closing when the client goes away.
        case stream(chunk: [UInt8], total: Int, declareLength: Bool, status: Int = 200)
    }

    private struct State {
        var connections = 0
        var requests: [Request] = []
        var bytesStreamed = 0
        var stopped = false
        var clientFDs: [Int32] = []
        /// The port, held refusing once stopped (see `RefusedPort`).
        var held: RefusedPort?
    }

    public let port: UInt16
    private let listenFD: Int32
    private let handler: @Sendable (Request) -> Action
    private let state = Mutex(State())

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    public var connectionCount: Int { state.withLock { $0.connections } }
    public var requests: [Request] { state.withLock { $0.requests } }
    /// Body bytes written by `.stream` actions before the client stopped reading.
    public var bytesStreamed: Int { state.withLock { $0.bytesStreamed } }

    public init(_ handler: @escaping @Sendable (Request) -> Action) throws {
        guard let (fd, bound) = LoopbackSocket.bound(port: 0) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
        guard listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        port = bound
        listenFD = fd
        self.handler = handler
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    deinit { halt() }

    /// Stops accepting and closes every connection (stalled ones included).
    /// The port then refuses connections, and no other server gets it, for as
    /// long as this object lives (see `RefusedPort`); only if another socket
    /// took the port in the instant between closing and holding it is it not held.
    public func stop() {
        guard halt() else { return }
        let held = try? RefusedPort(port: port)
        state.withLock { $0.held = held }
    }

    /// Closes the listener and every connection; false if already stopped.
    @discardableResult
    private func halt() -> Bool {
        let fds: [Int32] = state.withLock { s in
            guard !s.stopped else { return [] }
            s.stopped = true
            return s.clientFDs + [listenFD]
        }
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
        return !fds.isEmpty
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !stopped {
            let c = accept(listenFD, nil, nil)
            if c < 0 { if stopped { return }; continue }
            let n: Int = state.withLock { s in
                s.connections += 1
                s.clientFDs.append(c)
                return s.connections
            }
            Thread { [self] in serve(c, connection: n) }.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        var buffer: [UInt8] = []
        while !stopped {
            guard let request = readRequest(fd, &buffer, connection: connection) else { return }
            state.withLock { $0.requests.append(request) }
            switch handler(request) {
            case let .respond(status, headers, body):
                var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.count)\r\n"
                for (k, v) in headers { head += "\(k): \(v)\r\n" }
                guard send(fd, Array((head + "\r\n").utf8) + body) else { return }
            case let .rawThenClose(bytes):
                _ = send(fd, bytes)
                shutdown(fd, Int32(SHUT_RDWR))
                return
            case .close:
                shutdown(fd, Int32(SHUT_RDWR))
                return
            case .stall:
                while !stopped { usleep(20_000) }
                return
            case let .stream(chunk, total, declareLength, status):
                var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: application/octet-stream\r\n"
                head += declareLength ? "Content-Length: \(total)\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n"
                guard send(fd, Array(head.utf8)) else { return }
                var sent = 0
                while sent < total, !stopped {
                    let piece = Array(chunk.prefix(total - sent))
                    let framed = declareLength ? piece : Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
                    guard send(fd, framed) else { return }
                    sent += piece.count
                    state.withLock { $0.bytesStreamed += piece.count }
                }
                if !declareLength { _ = send(fd, Array("0\r\n\r\n".utf8)) }
            }
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8], connection: Int) -> Request? {
        let end: [UInt8] = [13, 10, 13, 10]
        var chunk = [UInt8](repeating: 0, count: 16384)
        func fill() -> Bool {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            if let r = buffer.firstRange(of: end) { headEnd = r.upperBound; break }
            guard buffer.count < 65536, fill() else { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for l in lines where !l.isEmpty {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        while buffer.count < headEnd! + length { guard fill() else { return nil } }
        let body = Array(buffer[headEnd!..<(headEnd! + length)])
        buffer.removeFirst(headEnd! + length)
        return Request(method: String(first[0]), path: String(first[1]), headers: headers, body: body, connection: connection)
    }
}
