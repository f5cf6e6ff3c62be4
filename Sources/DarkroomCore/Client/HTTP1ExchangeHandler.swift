import NIOCore
import NIOHTTP1
import NIOTLS

/// One request as `PooledHTTP1Transport` hands it to a connection, and the
/// promise its answer completes.
struct HTTP1Exchange: Sendable {
    var head: HTTPRequestHead
    var body: [UInt8]?
    /// The largest answer body read (`HTTPRequestData.maxResponseBytes`).
    var limit: Int
    /// When the exchange is given up and its connection closed.
    var deadline: NIODeadline
    var answer: EventLoopPromise<HTTP1Answer>

    /// Writes an exchange to `channel` and returns its answer. When the request
    /// cannot be written, the answer fails with `HTTP1ClosedBeforeAnswer`: a
    /// connection that closed since it was handed out has lost its handlers, so
    /// the write fails before reaching them and nothing else would complete the
    /// answer.
    static func start(on channel: Channel, head: HTTPRequestHead, body: [UInt8]?, limit: Int,
                      deadline: NIODeadline) -> EventLoopFuture<HTTP1Answer> {
        let answer = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { _ in answer.fail(HTTP1ClosedBeforeAnswer()) }
        channel.writeAndFlush(HTTP1Exchange(head: head, body: body, limit: limit, deadline: deadline, answer: answer),
                              promise: written)
        return answer.futureResult
    }
}

/// A whole answer, and whether its connection may carry another request.
struct HTTP1Answer: Sendable {
    var response: HTTPResponseData
    var reusable: Bool
}

/// The connection closed (or could not be written to) before any byte of the
/// answer arrived. For a query on a reused connection this is the usual race
/// with a server closing an idle connection, and one retry on a fresh
/// connection is safe (a GET changes nothing).
struct HTTP1ClosedBeforeAnswer: Error, Sendable {}

/// The last handler of a pooled connection: sends one request at a time and
/// collects its answer on the event loop (status, headers, at most `limit`
/// bytes of body), completing one promise per exchange.
///
/// - A body announced or found larger than the limit fails with
///   `TransportError.tooLarge` at once and closes the connection: nothing past
///   the limit is read.
/// - The exchange's deadline closes the connection and fails with
///   `TransportError.timedOut`.
/// - An answer that does not keep the connection alive (`Connection: close`,
///   HTTP/1.0, a body ended by closing) closes it after the answer.
/// - Bytes from the server while no request is out close the connection.
/// - An idle connection (no traffic for the `IdleStateHandler`'s time) is closed.
///
/// Before the first exchange, `ready` says when the connection can carry one:
/// once it is connected, or for TLS once the handshake completed; it fails with
/// the handshake's error, or with `cannotConnect` when the handshake has not
/// completed by `readyBy`.
///
/// Touched only on its channel's event loop.
final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTP1Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private let readyPromise: EventLoopPromise<Void>
    private let waitsForTLS: Bool
    private var current: HTTP1Exchange?
    /// The answer's head once it came (whether it keeps the connection alive).
    private var head: HTTPResponseHead?
    private var answer = CappedAnswer(limit: 0)
    private var timer: Scheduled<Void>?

    /// Completes when the connection can carry its first exchange (see the type's notes).
    var ready: EventLoopFuture<Void> { readyPromise.futureResult }

    init(eventLoop: EventLoop, waitsForTLS: Bool, readyBy deadline: NIODeadline) {
        readyPromise = eventLoop.makePromise()
        self.waitsForTLS = waitsForTLS
        let promise = readyPromise
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(TransportError.cannotConnect(waitsForTLS ? "the secure (TLS) connection could not be set up in time"
                                                                  : "no connection within the time limit"))
        }
        readyPromise.futureResult.whenComplete { _ in timer.cancel() }
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTLS { readyPromise.succeed() }
        context.fireChannelActive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard current == nil, context.channel.isActive else {
            promise?.fail(HTTP1ClosedBeforeAnswer())
            exchange.answer.fail(HTTP1ClosedBeforeAnswer())
            return
        }
        current = exchange
        head = nil
        answer = CappedAnswer(limit: exchange.limit)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: exchange.deadline) {
            bound.value.0.end(bound.value.1, .failure(TransportError.timedOut), close: true)
        }
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let bytes = exchange.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        // The caller's promise (`start`) fails the answer if the request cannot be written.
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard current != nil else {
            context.close(promise: nil)      // the server spoke out of turn
            return
        }
        do {
            switch unwrapInboundIn(data) {
            case let .head(h):
                // 1xx answers are interim: the real one follows.
                guard h.status.code >= 200 else { return }
                head = h
                try answer.begin(h)
            case let .body(buffer):
                guard head != nil else { return }
                try answer.append(buffer)
            case .end:
                guard let h = head else { return }
                end(context, .success(HTTP1Answer(response: answer.finish(), reusable: h.isKeepAlive)), close: !h.isKeepAlive)
            }
        } catch {
            end(context, .failure(error), close: true)   // larger than the limit: read no further
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        readyPromise.fail(error)        // ignored once the connection was ready
        if current != nil {
            end(context, .failure(error), close: true)
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        readyPromise.fail(HTTP1ClosedBeforeAnswer())
        if current != nil {
            let error: any Error = head == nil
                ? HTTP1ClosedBeforeAnswer()
                : TransportError.connectionLost("the answer ended before it was complete")
            end(context, .failure(error), close: false)
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { readyPromise.succeed() }
        if event is IdleStateHandler.IdleStateEvent, current == nil {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Completes the exchange in flight, if any, once.
    private func end(_ context: ChannelHandlerContext, _ result: Result<HTTP1Answer, any Error>, close: Bool) {
        guard let exchange = current else { return }
        current = nil
        head = nil
        timer?.cancel()
        timer = nil
        if close { context.close(promise: nil) }
        exchange.answer.completeWith(result)
    }
}
