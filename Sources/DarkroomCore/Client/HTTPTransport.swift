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

/// How an exchange failed below HTTP.
public enum TransportError: Error, Sendable, Equatable {
    case timedOut
    /// Nothing reached the server (refused, no route, unknown host): safe to retry even a submit.
    case cannotConnect(String)
    /// The connection broke; the server may have received the request.
    case connectionLost(String)
    case other(String)
}

/// The one seam between the client and the network. Production uses
/// `URLSessionTransport`; unit tests use an in-memory transport.
public protocol HTTPTransport: Sendable {
    /// Sends a request. Throws `TransportError` only.
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData
}
