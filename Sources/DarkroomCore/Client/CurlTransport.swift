import Foundation

/// The production transport, on the system's libcurl (multi interface, one
/// thread, one connection pool per process: `CurlEngine.shared`).
///
/// - A request waiting for an answer costs no CPU, and ends at its `timeout`;
///   `DarkroomClient` also abandons it then, whatever the transport does.
/// - http and https only. Connections are kept alive and reused; HTTP/2 where
///   the server offers it. A query (GET) whose reused connection turns out
///   closed before any answer is sent once more on a new connection (curl
///   does this); anything else (a submit) always goes on a new connection, so
///   it is never sent twice.
/// - API calls follow no redirect (a 3xx comes back as it is). Downloads follow
///   at most 5, never in a loop, never to a scheme other than http(s).
/// - The answer body is read up to `maxResponseBytes` (default 1 MiB) and no
///   further: a larger one fails with `tooLarge` as soon as the limit is passed.
/// - Certificates are checked against the system's store (`ca-certificates`).
/// - Proxies: as `proxy` decides (`--proxy`, a profile's `proxy`, else
///   `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`).
public struct CurlTransport: HTTPTransport {
    /// How long connecting (TCP and TLS) may take: 10 s, or less when the request's whole time limit is shorter.
    static let connectTimeoutMilliseconds = 10_000
    /// The most redirects a download follows.
    public static let maxRedirects = 5
    /// A download that receives nothing for this long ends.
    public static let downloadStallLimit: Duration = .seconds(30)

    public let proxy: ProxySettings
    private let engine: CurlEngine
    private let caFile: String?

    /// - Parameters:
    ///   - proxy: default: from the process's environment.
    ///   - caFile: a PEM file of certificates to trust instead of the system's (tests).
    public init(proxy: ProxySettings = .fromProcessEnvironment, caFile: String? = nil) {
        self.init(proxy: proxy, caFile: caFile, engine: .shared)
    }

    init(proxy: ProxySettings, caFile: String?, engine: CurlEngine) {
        self.proxy = proxy
        self.caFile = caFile
        self.engine = engine
    }

    public func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        try Task.checkCancellation()
        let transfer = CurlTransfer(request, destination: .memory(limit: request.maxResponseBytes),
                                    proxy: proxy.proxy(for: request.url), stallLimit: nil, caFile: caFile)
        return try await engine.perform(transfer)
    }

    public func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var current = url
        var seen: Set<String> = [url.absoluteString]
        var hop = 0
        while true {
            try Task.checkCancellation()
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw FetchError.transport(.timedOut) }
            let request = HTTPRequestData(method: "GET", url: current, headers: [], timeout: left)
            let transfer = CurlTransfer(request, destination: .sink(sink), proxy: proxy.proxy(for: current),
                                        stallLimit: Self.downloadStallLimit, caFile: caFile)
            let answer: HTTPResponseData
            do {
                answer = try await engine.perform(transfer)
            } catch let e as TransportError {
                throw FetchError.transport(e)
            }
            guard (300...399).contains(answer.status), let next = transfer.redirectURL else { return answer.status }
            guard hop < Self.maxRedirects else { throw FetchError.transport(.other("too many redirects (more than \(Self.maxRedirects))")) }
            guard ["http", "https"].contains(next.scheme?.lowercased() ?? "") else {
                throw FetchError.transport(.other("a redirect led to a URL that is not http(s)"))
            }
            guard seen.insert(next.absoluteString).inserted else { throw FetchError.transport(.other("the redirects go round in a loop")) }
            current = next
            hop += 1
        }
    }
}
