import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport, on AsyncHTTPClient (SwiftNIO).
///
/// - A request waiting for an answer costs no CPU (NIO sleeps in epoll), and is
///   ended at its `timeout` by the client's deadline; `DarkroomClient` also
///   abandons it then, whatever the transport does.
/// - Connections are kept alive and reused (one pool per process). A request is
///   never sent twice by the transport: a failure to connect fails at once
///   (nothing was sent), and a connection that breaks after the request was
///   written is reported as `connectionLost`, never retried on a new connection.
/// - Redirects are not followed for API calls (a POST must not be replayed
///   elsewhere); the 3xx answer comes back as it is.
/// - The answer body is read up to `maxResponseBytes` (default 1 MiB) and no
///   further: a larger one fails with `tooLarge` as soon as the limit is passed.
public struct HTTPClientTransport: HTTPTransport {
    private let client: HTTPClient

    /// - Parameter client: default: the process-wide API client (`SharedHTTPClients.api`).
    public init(client: HTTPClient = SharedHTTPClients.api) {
        self.client = client
    }

    public func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let prepared: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            for (k, v) in request.headers { headers.add(name: k, value: v) }
            prepared = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                                              body: request.body.map { .bytes($0) })
        } catch {
            throw NIOErrorMapping.transportError(error)
        }
        let exchange = client.execute(request: prepared, delegate: CappedBodyCollector(limit: request.maxResponseBytes),
                                      deadline: .now() + .nanoseconds(request.timeout.nanoseconds))
        do {
            return try await withTaskCancellationHandler {
                try await exchange.futureResult.get()
            } onCancel: {
                exchange.cancel()
            }
        } catch let e as TransportError {
            throw e
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw NIOErrorMapping.transportError(error)
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    public var nanoseconds: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : ns &+ atto / 1_000_000_000
    }
}
