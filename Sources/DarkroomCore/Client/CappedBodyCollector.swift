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

    private let state: Mutex<CappedAnswer>

    init(limit: Int) { state = Mutex(CappedAnswer(limit: limit)) }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        do {
            try state.withLock { try $0.begin(head) }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        do {
            try state.withLock { try $0.append(buffer) }
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        state.withLock { $0.finish() }
    }
}

/// One answer as it arrives, for both transports: its status, its headers (names
/// lower-cased, the first of each kept) and at most `limit` bytes of body. A body
/// announced (Content-Length) or found to be larger fails with
/// `TransportError.tooLarge` at once.
struct CappedAnswer {
    let limit: Int
    private(set) var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    /// Starts an answer with its head.
    mutating func begin(_ head: HTTPResponseHead) throws(TransportError) {
        status = Int(head.status.code)
        headers = [:]
        body.removeAll(keepingCapacity: true)
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
            throw .tooLarge(status: status, limit: limit)
        }
        for (name, value) in head.headers {
            let key = name.lowercased()
            if headers[key] == nil { headers[key] = value }
        }
    }

    mutating func append(_ buffer: ByteBuffer) throws(TransportError) {
        guard body.count + buffer.readableBytes <= limit else { throw .tooLarge(status: status, limit: limit) }
        body.append(contentsOf: buffer.readableBytesView)
    }

    /// The whole answer; the body is handed over, not copied.
    mutating func finish() -> HTTPResponseData {
        var response = HTTPResponseData(status: status, body: body)
        response.headers = headers
        body = []
        return response
    }
}
