import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The production transport over URLSession.
///
/// Limits: URLSession on Linux has no separate connect timeout, so the request's
/// `timeout` bounds the whole exchange (connect included). Cookies and caches are off.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // URLSession is thread-safe; it is the only stored property.
    private let session: URLSession

    public init() {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        config.timeoutIntervalForResource = 600
        config.httpCookieAcceptPolicy = .never
        config.httpShouldSetCookies = false
        config.urlCache = nil
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: config)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        var r = URLRequest(url: request.url)
        r.httpMethod = request.method
        r.timeoutInterval = Double(request.timeout.components.seconds) + Double(request.timeout.components.attoseconds) / 1e18
        for (k, v) in request.headers { r.addValue(v, forHTTPHeaderField: k) }
        if let body = request.body { r.httpBody = Data(body) }
        do {
            let (data, response) = try await session.data(for: r)
            guard let http = response as? HTTPURLResponse else { throw TransportError.other("not an HTTP response") }
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
            }
            return HTTPResponseData(status: http.statusCode, headers: headers, body: Array(data))
        } catch let e as TransportError {
            throw e
        } catch let e as URLError {
            throw Self.map(e)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportError.other(TerminalSanitizer.clean(error.localizedDescription))
        }
    }

    static func map(_ e: URLError) -> TransportError {
        let text = TerminalSanitizer.clean(e.localizedDescription)
        switch e.code {
        case .timedOut: return .timedOut
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .unsupportedURL, .badURL:
            return .cannotConnect(text)
        case .networkConnectionLost, .badServerResponse, .zeroByteResource, .cannotParseResponse:
            return .connectionLost(text)
        case .cancelled: return .other("cancelled")
        default: return .other(text)
        }
    }
}
