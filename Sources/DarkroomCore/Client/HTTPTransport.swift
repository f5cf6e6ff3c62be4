import Foundation

/// An HTTP request as the client hands it to a transport.
public struct HTTPRequestData: Sendable, Equatable {
    public var method: String
    public var url: URL
    /// Header names and values, in order. Holds the API key: never log this value.
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// The longest the whole exchange may take.
    public var timeout: Duration
    /// The largest answer body read; a larger one fails with `TransportError.tooLarge`
    /// as soon as the limit is passed. Default 1 MiB (task answers are a few hundred bytes).
    public var maxResponseBytes = 1 << 20

    public init(method: String, url: URL, headers: [(String, String)], body: [UInt8]? = nil, timeout: Duration) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    public static func == (a: HTTPRequestData, b: HTTPRequestData) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.timeout == b.timeout
            && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
    }
}

/// An HTTP response: status, headers (names lower-cased) and body.
public struct HTTPResponseData: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }
}

/// How an exchange failed below HTTP. Each case says whether the server can
/// have seen the request, which decides whether a submit may be called refused.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer within the time limit; the request may have reached the server.
    case timedOut
    /// No connection was made (refused, unknown host, no route, connect or TLS
    /// handshake failure, no free connection in time): no byte of the request
    /// was sent, so even a submit is certainly not on the server.
    case cannotConnect(String)
    /// The connection broke after it was made: the server may have received the request.
    case connectionLost(String)
    /// The answer (status `status`) is larger than `limit` bytes; reading stopped there.
    case tooLarge(status: Int, limit: Int)
    /// Anything else, as a sentence.
    case other(String)

    public var description: String {
        switch self {
        case .timedOut: return "no answer in time"
        case let .cannotConnect(m): return m
        case let .connectionLost(m): return m
        case let .tooLarge(_, limit): return "the answer is larger than \(ByteCount.text(limit)); it was not read further"
        case let .other(m): return m
        }
    }
}

/// The one seam between darkroom and the network, for API calls and result
/// downloads alike. Production uses `CurlTransport` (the system's libcurl);
/// unit tests use in-memory transports.
public protocol HTTPTransport: Sendable {
    /// Sends a request and reads the whole answer, at most `maxResponseBytes`.
    /// Follows no redirect. Throws `TransportError` only (or `CancellationError`).
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData

    /// Fetches `url` (following redirects) and hands a 2xx body to `sink` piece by
    /// piece as it arrives; a non-2xx body is not passed on. Returns the final
    /// HTTP status. Throws `FetchError` or `CancellationError`.
    func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int
}

extension HTTPTransport {
    /// For transports that only answer whole (tests): one GET through `send`,
    /// its 2xx body written to the sink at once. No redirects.
    public func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int {
        var request = HTTPRequestData(method: "GET", url: url, headers: [], timeout: timeout)
        request.maxResponseBytes = sink.maxBytes
        let answer: HTTPResponseData
        do { answer = try await send(request) } catch let e as TransportError {
            if case .tooLarge = e { throw FetchError.tooLarge(limit: sink.maxBytes) }
            throw FetchError.transport(e)
        }
        if (200...299).contains(answer.status) { try sink.write(answer.body) }
        return answer.status
    }
}

/// Sizes as people read them.
public enum ByteCount {
    /// "512 bytes", "64 KiB", "1 MiB", "100 MiB".
    public static func text(_ n: Int) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 20 { return String(format: "%.1f MiB", Double(n) / 1_048_576) }
        if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        if n >= 1 << 10 { return String(format: "%.1f KiB", Double(n) / 1024) }
        return "\(n) bytes"
    }
}
