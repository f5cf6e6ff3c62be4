import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The transport of the poller's queries: HTTP/1.1 on kept-alive NIO connections,
/// with nothing between a query and its connection but NIO's own encoder and
/// decoder (BENCHMARKS.md, "Poller": it spends about a third less CPU per query
/// than `HTTPClientTransport`).
///
/// It keeps the same promises as `HTTPClientTransport`:
/// - a request waiting for an answer costs no CPU, and is ended at its `timeout`
///   (`TransportError.timedOut`, the connection closed);
/// - the answer body is read up to `maxResponseBytes` and no further
///   (`TransportError.tooLarge`);
/// - redirects are not followed (the 3xx answer comes back as it is);
/// - failures are sorted as `HTTPClientTransport` sorts them: `cannotConnect` when
///   no connection was made, `connectionLost` once the request may have left.
///
/// And one of its own: a GET or HEAD that finds its reused connection closed
/// before any byte of the answer (a server closing idle connections) is sent
/// again, once, on a fresh connection. Any other request is never sent twice.
///
/// `https` URLs are checked against the system's trust roots (or the
/// `tlsConfiguration` given), offering HTTP/1.1 only. At most 16 connections to
/// an origin by default, closed after 50 s unused.
public final class PooledHTTP1Transport: HTTPTransport {
    /// The process's one instance, for `DarkroomClient.forPolling`. Never shut down.
    public static let shared = PooledHTTP1Transport()

    private let connectionsPerOrigin: Int
    private let idleTimeout: TimeAmount
    private let tlsConfiguration: TLSConfiguration
    private let pools = Mutex<[HTTP1Origin: HTTP1ConnectionPool]>([:])
    private let tlsContext = Mutex<Result<NIOSSLContext, TransportError>?>(nil)

    /// - Parameters:
    ///   - connectionsPerOrigin: default 16, as many as the poller's queries in flight.
    ///   - idleTimeout: an unused connection is closed after this; default 50 s.
    ///   - tlsConfiguration: default: the system's trust roots, full verification.
    public init(connectionsPerOrigin: Int = 16, idleTimeout: Duration = .seconds(50),
                tlsConfiguration: TLSConfiguration = .makeClientConfiguration()) {
        self.connectionsPerOrigin = max(1, connectionsPerOrigin)
        self.idleTimeout = .nanoseconds(idleTimeout.nanoseconds)
        var tls = tlsConfiguration
        tls.applicationProtocols = ["http/1.1"]
        self.tlsConfiguration = tls
    }

    /// Connections open or opening to the origin of `url` (for tests).
    func openConnections(to url: URL) -> Int {
        guard let target = HTTP1Target(url) else { return 0 }
        return pools.withLock { $0[target.origin]?.openCount ?? 0 }
    }

    public func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        guard let target = HTTP1Target(request.url) else { throw TransportError.cannotConnect("the URL cannot be used") }
        let pool = try pool(for: target.origin)
        let deadline = NIODeadline.now() + .nanoseconds(request.timeout.nanoseconds)
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target.uri)
        head.headers.reserveCapacity(request.headers.count + 2)
        head.headers.add(name: "Host", value: target.hostHeader)
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        if let body = request.body { head.headers.add(name: "Content-Length", value: String(body.count)) }
        let mayResend = request.method == "GET" || request.method == "HEAD"
        var resent = false
        while true {
            let channel: Channel
            let reused: Bool
            do {
                (channel, reused) = try await pool.acquire(deadline: deadline)
            } catch is HTTP1ClosedBeforeAnswer {
                // Closed before it was ready (connected, TLS done): no byte of the request left.
                throw TransportError.cannotConnect("the server closed the connection as soon as it was made")
            } catch {
                throw Self.sorted(error)
            }
            let answer = HTTP1Exchange.start(on: channel, head: head, body: request.body, limit: request.maxResponseBytes,
                                             deadline: deadline)
            do {
                let done = try await withTaskCancellationHandler {
                    try await answer.get()
                } onCancel: {
                    channel.close(promise: nil)
                }
                pool.release(channel, reusable: done.reusable)
                return done.response
            } catch {
                pool.release(channel, reusable: false)
                if Task.isCancelled { throw CancellationError() }
                if error is HTTP1ClosedBeforeAnswer, reused, mayResend, !resent {
                    resent = true
                    continue
                }
                throw Self.sorted(error)
            }
        }
    }

    private func pool(for origin: HTTP1Origin) throws -> HTTP1ConnectionPool {
        if let pool = pools.withLock({ $0[origin] }) { return pool }
        let tls = origin.tls ? try context() : nil
        return pools.withLock { pools in
            if let pool = pools[origin] { return pool }
            let pool = HTTP1ConnectionPool(origin: origin, limit: connectionsPerOrigin, idleTimeout: idleTimeout, tls: tls)
            pools[origin] = pool
            return pool
        }
    }

    /// The TLS context, made once (loading the trust roots is slow).
    private func context() throws -> NIOSSLContext {
        let made = tlsContext.withLock { saved in
            if let saved { return saved }
            let made = Result { try NIOSSLContext(configuration: tlsConfiguration) }
                .mapError { TransportError.cannotConnect("the secure (TLS) settings cannot be used (\($0))") }
            saved = made
            return made
        }
        return try made.get()
    }

    private static func sorted(_ error: any Error) -> any Error {
        switch error {
        case let e as TransportError: return e
        case is CancellationError: return error
        case is HTTP1ClosedBeforeAnswer: return TransportError.connectionLost("the server closed the connection before it answered")
        default: return NIOErrorMapping.transportError(error)
        }
    }
}

/// A URL as a pooled connection needs it: the origin, the request target and the Host header.
struct HTTP1Target {
    var origin: HTTP1Origin
    /// The path and query, percent-encoded as in the URL; "/" when empty.
    var uri: String
    var hostHeader: String

    init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        let tls = scheme == "https"
        let port = url.port ?? (tls ? 443 : 80)
        origin = HTTP1Origin(tls: tls, host: host, port: port)
        let named = host.contains(":") ? "[\(host)]" : host
        hostHeader = url.port == nil || port == (tls ? 443 : 80) ? named : "\(named):\(port)"
        // The text after the authority, without a fragment: no re-encoding, no parsing of the path.
        var rest = Substring(url.absoluteString)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        rest = rest.drop { $0 != "/" && $0 != "?" && $0 != "#" }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        uri = rest.isEmpty ? "/" : rest.first == "?" ? "/" + rest : String(rest)
    }
}
