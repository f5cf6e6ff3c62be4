import DarkroomCore
import FlyingFox
import FlyingSocks
import Foundation

/// The simulator on a real socket: `SimulatorCore` served over HTTP/1.1 on
/// 127.0.0.1 (an ephemeral port unless one is given), for the demo, the CLI's
/// `darkroom simulator` and the integration tests.
public actor SimulatorServer {
    public nonisolated let core: SimulatorCore
    /// `http://127.0.0.1:PORT`.
    public nonisolated let baseURL: URL
    /// A key the simulator accepts.
    public nonisolated let apiKey: String
    private let http: HTTPServer
    private var runTask: Task<Void, Never>?

    private init(core: SimulatorCore, baseURL: URL, apiKey: String, http: HTTPServer, runTask: Task<Void, Never>) {
        self.core = core
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.http = http
        self.runTask = runTask
    }

    /// Starts listening and returns once connections are accepted.
    /// - Parameters:
    ///   - port: 0 (default) picks a free port.
    ///   - now: the simulator's clock; tests pass one they move by hand.
    public static func start(config: SimulatorConfig = SimulatorConfig(), port: UInt16 = 0,
                             now: @escaping @Sendable () -> Date = { Date() }) async throws -> SimulatorServer {
        let core = SimulatorCore(config: config, now: now)
        // FlyingFox's .loopback binds [::1] on Linux; bind IPv4 loopback explicitly.
        let handler = CoreHandler(core: core)
        let http = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 90,
                              logger: .disabled, handler: handler)
        // FlyingFox's "*" route matches only the methods it knows: the core also
        // answers the rest of IANA's registry (405 with Allow, as for the others).
        await http.appendRoute(HTTPRoute(stringLiteral: Self.otherMethods.joined(separator: ",") + " *"), to: handler)
        let runTask = Task { _ = try? await http.run() }
        try await http.waitUntilListening(timeout: 10)
        guard case let .ip4(_, boundPort)? = await http.listeningAddress,
              let url = URL(string: "http://127.0.0.1:\(boundPort)")
        else {
            runTask.cancel()
            throw SimulatorStartError()
        }
        await core.setBaseURL(url.absoluteString)
        ListeningSocket.disableNagle(port: boundPort)
        return SimulatorServer(core: core, baseURL: url, apiKey: config.apiKey ?? "sk-simulator-0000000000000000",
                               http: http, runTask: runTask)
    }

    /// The methods of IANA's HTTP method registry that FlyingFox does not know.
    static let otherMethods = ["ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK", "MERGE",
                               "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE", "ORDERPATCH", "PROPFIND",
                               "PROPPATCH", "QUERY", "REBIND", "REPORT", "SEARCH", "UNBIND", "UNCHECKOUT", "UNLINK", "UNLOCK",
                               "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL"]

    /// Stops accepting connections and closes open ones.
    public func stop() async {
        await http.stop(timeout: 1)
        runTask?.cancel()
        runTask = nil
    }
}

public struct SimulatorStartError: Error, CustomStringConvertible {
    public var description: String { "the simulator could not start listening on 127.0.0.1" }
}

/// Adapts FlyingFox requests to `SimulatorCore` and applies the delays and
/// dropped connections the core asks for.
struct CoreHandler: HTTPHandler {
    let core: SimulatorCore

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var headers: [String: String] = [:]
        for (k, v) in request.headers { headers[k.rawValue.lowercased()] = v }
        let body = try await request.bodyData
        let r = SimRequest(method: request.method.rawValue, path: request.path, headers: headers, body: Array(body))
        let answer = await core.handle(r)
        if let delay = answer.delay { try? await Task.sleep(for: delay) }
        var out = HTTPHeaders()
        for (k, v) in answer.headers { out[HTTPHeader(k)] = v }
        if let cut = answer.dropAfterBytes {
            // Announce the whole length, send part of it, then fail: the connection closes mid-body.
            return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: "OK"), headers: out,
                                body: HTTPBodySequence(from: TruncatedBytes(bytes: Array(answer.body.prefix(cut))), count: answer.body.count))
        }
        return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: Self.phrase(answer.status)), headers: out, body: Data(answer.body))
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Payload Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// Yields its bytes, then throws, so the server closes the connection early.
struct TruncatedBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let bytes: [UInt8]

    struct Dropped: Error {}

    struct AsyncIterator: AsyncBufferedIteratorProtocol {
        var remaining: ArraySlice<UInt8>
        mutating func next() async throws -> UInt8? {
            guard let b = remaining.first else { throw Dropped() }
            remaining = remaining.dropFirst()
            return b
        }
        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            guard !remaining.isEmpty else { throw Dropped() }
            let chunk = remaining.prefix(count)
            remaining = remaining.dropFirst(chunk.count)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: bytes[...]) }
}

/// FlyingFox writes a response's head and body in two writes. With Nagle's
/// algorithm on, the body then waits for the client's delayed ACK of the head
/// (about 40 ms on Linux): every keep-alive answer would stall. FlyingFox does
/// not expose its listening socket, so find it by its port and set TCP_NODELAY,
/// which the sockets it accepts inherit.
enum ListeningSocket {
    static func disableNagle(port: UInt16) {
        for fd in Int32(0)..<Int32(4096) {
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            guard ok == 0, addr.sin_family == sa_family_t(AF_INET), UInt16(bigEndian: addr.sin_port) == port else { continue }
            var listening: Int32 = 0
            var optLen = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optLen) == 0, listening == 1 else { continue }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
