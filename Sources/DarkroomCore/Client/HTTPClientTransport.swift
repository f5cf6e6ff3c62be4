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
        var r = HTTPClientRequest(url: request.url.absoluteString)
        r.method = HTTPMethod(rawValue: request.method)
        for (k, v) in request.headers { r.headers.add(name: k, value: v) }
        if let body = request.body { r.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(r, deadline: .now() + .nanoseconds(request.timeout.nanoseconds))
            let status = Int(response.status.code)
            if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > request.maxResponseBytes {
                throw TransportError.tooLarge(status: status, limit: request.maxResponseBytes)
            }
            var body: [UInt8] = []
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= request.maxResponseBytes else {
                    throw TransportError.tooLarge(status: status, limit: request.maxResponseBytes)
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            var headers: [String: String] = [:]
            for (k, v) in response.headers where headers[k.lowercased()] == nil { headers[k.lowercased()] = v }
            return HTTPResponseData(status: status, headers: headers, body: body)
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
