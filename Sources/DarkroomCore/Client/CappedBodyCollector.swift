import AsyncHTTPClient
import Synchronization
import NIOCore
import NIOHTTP1

/// Collects one answer for `HTTPClientTransport` on the connection's event loop:
/// its status, its headers and at most `limit` bytes of body.
///
/// A body announced (Content-Length) or found to be larger than `limit` fails the
/// exchange with `TransportError.tooLarge` at once; nothing past the limit is read.
/// Collecting on the event loop and completing one future per exchange is what
/// makes a query cheap: the async-sequence body of `HTTPClientResponse` costs a
/// hop per chunk.
final class CappedBodyCollector: HTTPClientResponseDelegate, Sendable {
    typealias Response = HTTPResponseData

    private struct State {
        var status = 0
        var headers: [String: String] = [:]
        var body: [UInt8] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let status = Int(head.status.code)
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
            return task.eventLoop.makeFailedFuture(TransportError.tooLarge(status: status, limit: limit))
        }
        state.withLock { s in
            s.status = status
            for (k, v) in head.headers {
                let name = k.lowercased()
                if s.headers[name] == nil { s.headers[name] = v }
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let failure = state.withLock { s -> TransportError? in
            guard s.body.count + buffer.readableBytes <= limit else { return .tooLarge(status: s.status, limit: limit) }
            s.body.append(contentsOf: buffer.readableBytesView)
            return nil
        }
        if let failure { return task.eventLoop.makeFailedFuture(failure) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        state.withLock { s in
            defer { s.body = [] }
            var r = HTTPResponseData(status: s.status, body: s.body)
            r.headers = s.headers
            return r
        }
    }
}
