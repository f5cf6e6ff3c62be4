import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Where a pooled connection goes: scheme, host and port of a URL.
struct HTTP1Origin: Hashable, Sendable {
    var tls: Bool
    var host: String
    var port: Int

    /// A host written as an IP address gets no server name (SNI) in TLS.
    var serverName: String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }
}

/// Kept-alive HTTP/1.1 connections to one origin, handed to one request at a time.
///
/// - At most `limit` connections are open or opening at once; a request that finds
///   none free waits for one until its deadline, then fails with
///   `TransportError.cannotConnect` ("no connection became free in time").
/// - The most recently used free connection is taken first, so the others fall
///   idle and close after `idleTimeout` (no traffic).
/// - Connecting is bounded by 10 s and by the request's deadline; a TLS origin
///   gets `tls` (certificates checked against the system's trust roots by
///   default) and offers only HTTP/1.1.
final class HTTP1ConnectionPool: Sendable {
    enum Grant: Sendable {
        case channel(Channel)
        case connect
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Grant, any Error>
    }

    private struct State {
        var idle: [Channel] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiter = 0
    }

    let origin: HTTP1Origin
    private let limit: Int
    private let idleTimeout: TimeAmount
    private let tls: NIOSSLContext?
    private let state = Mutex(State())

    init(origin: HTTP1Origin, limit: Int, idleTimeout: TimeAmount, tls: NIOSSLContext?) {
        self.origin = origin
        self.limit = limit
        self.idleTimeout = idleTimeout
        self.tls = tls
    }

    /// Connections open or opening now (for tests).
    var openCount: Int { state.withLock { $0.open } }

    /// A connection for one request, and whether it carried requests before.
    func acquire(deadline: NIODeadline) async throws -> (Channel, reused: Bool) {
        let first = state.withLock { s -> Grant? in
            while let c = s.idle.popLast() {
                if c.isActive { return .channel(c) }
            }
            guard s.open < limit else { return nil }
            s.open += 1
            return .connect
        }
        let grant: Grant
        if let first { grant = first } else { grant = try await waitForTurn(deadline: deadline) }
        switch grant {
        case let .channel(c): return (c, true)
        case .connect: return (try await connect(deadline: deadline), false)
        }
    }

    /// Gives a connection back after an exchange: kept for the next request when
    /// `reusable`, closed otherwise (its place goes to a waiting request).
    func release(_ channel: Channel, reusable: Bool) {
        guard reusable, channel.isActive else {
            channel.close(promise: nil)
            return
        }
        let waiter = state.withLock { s -> Waiter? in
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.idle.append(channel)
            return nil
        }
        waiter?.continuation.resume(returning: .channel(channel))
    }

    private func waitForTurn(deadline: NIODeadline) async throws -> Grant {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Grant, any Error>) in
                // Swift marks the task cancelled before it runs `onCancel`, so a
                // cancellation either is seen here or finds the waiter listed.
                let cancelled = state.withLock { s -> Bool in
                    if Task.isCancelled { return true }
                    s.waiters.append(Waiter(id: id, continuation: c))
                    return false
                }
                if cancelled {
                    c.resume(throwing: CancellationError())
                    return
                }
                MultiThreadedEventLoopGroup.singleton.next().scheduleTask(deadline: deadline) { [self] in
                    drop(waiter: id, with: TransportError.cannotConnect("no connection became free in time"))
                }
            }
        } onCancel: {
            drop(waiter: id, with: CancellationError())
        }
    }

    /// Removes a waiting request and fails it, unless it was served already.
    private func drop(waiter id: Int, with error: any Error) {
        let waiter = state.withLock { s -> Waiter? in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// A connection closed or never opened: its place goes to the first waiter, if any.
    private func placeFreed(_ channel: Channel?) {
        let waiter = state.withLock { s -> Waiter? in
            if let channel { s.idle.removeAll { $0 === channel } }
            s.open -= 1
            guard !s.waiters.isEmpty else { return nil }
            s.open += 1
            return s.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .connect)
    }

    private func connect(deadline: NIODeadline) async throws -> Channel {
        let left = deadline - .now()
        guard left > .zero else {
            placeFreed(nil)
            throw TransportError.timedOut
        }
        let tls = self.tls
        let origin = self.origin
        let idleTimeout = self.idleTimeout
        // Ready means connected, and for TLS the handshake done, within 10 s and the deadline.
        let readyBy = min(deadline, .now() + .seconds(10))
        let channel: Channel
        let ready: EventLoopFuture<Void>
        do {
            (channel, ready) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(min(left, .seconds(10)))
                .connect(host: origin.host, port: origin.port) { ch in
                    ch.eventLoop.makeCompletedFuture { () throws -> (Channel, EventLoopFuture<Void>) in
                        let sync = ch.pipeline.syncOperations
                        if let tls {
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: origin.serverName))
                        }
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        let exchanges = HTTP1ExchangeHandler(eventLoop: ch.eventLoop, waitsForTLS: tls != nil, readyBy: readyBy)
                        try sync.addHandler(exchanges)
                        return (ch, exchanges.ready)
                    }
                }
        } catch {
            placeFreed(nil)
            throw error
        }
        // From here the connection's place is freed when it closes.
        channel.closeFuture.whenComplete { [self] _ in placeFreed(channel) }
        do {
            try await ready.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }
}
