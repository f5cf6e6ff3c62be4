import CCurl
import Foundation
import Synchronization

/// The process's HTTP engine: one libcurl multi handle (one connection pool,
/// one DNS cache) driven by one thread of its own.
///
/// The thread sleeps in `curl_multi_poll` until a socket is ready, a timer of
/// curl's is due, or another thread hands it work (`curl_multi_wakeup`): a
/// request waiting on a silent server costs no CPU. Every call into the multi
/// handle happens on that thread; other threads only queue commands.
///
/// Limits and defaults: connections to a host are not capped here (the poller
/// keeps at most 16 queries in flight, downloads are few); idle connections
/// are kept up to `maxIdleConnections` and closed by curl after 118 s.
final class CurlEngine: @unchecked Sendable {
    /// The one engine of the process.
    static let shared = CurlEngine()

    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex<[Command]>([])
    /// The transfers in the multi handle, by easy handle (engine thread only).
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxIdleConnections: Int = 32) {
        Self.globalInit
        guard let multi = curl_multi_init() else { fatalError("libcurl could not make a multi handle (out of memory)") }
        self.multi = multi
        dr_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxIdleConnections)
        let thread = Thread { [self] in loop() }
        thread.name = "darkroom-http"
        thread.start()
    }

    /// `curl_global_init`, once, before any handle.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Runs `transfer` to its end. Cancelling the calling task ends the exchange
    /// at once (its connection is closed) and throws `CancellationError`.
    func perform(_ transfer: CurlTransfer) async throws -> HTTPResponseData {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                send(.add(transfer))
            }
        } onCancel: {
            send(.cancel(transfer))
        }
    }

    private func send(_ command: Command) {
        inbox.withLock { $0.append(command) }
        curl_multi_wakeup(multi)
    }

    // MARK: the engine's thread

    private func loop() {
        var active: Int32 = 0
        while true {
            for command in inbox.withLock({ commands in defer { commands = [] }; return commands }) {
                switch command {
                case let .add(t): add(t)
                case let .cancel(t): cancel(t)
                }
            }
            curl_multi_perform(multi, &active)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let t = running.removeValue(forKey: easy) else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                finish(t, t.outcome(code))
            }
            // Wakes for sockets, curl's timers, or `curl_multi_wakeup`; the 30 s is only a backstop.
            curl_multi_poll(multi, nil, 0, 30_000, nil)
        }
    }

    private func add(_ t: CurlTransfer) {
        guard !t.cancelledEarly else { return finish(t, .failure(CancellationError())) }
        guard let easy = t.easy else { return finish(t, .failure(TransportError.other("libcurl could not start a request (out of memory)"))) }
        guard curl_multi_add_handle(multi, easy) == CURLM_OK else {
            return finish(t, .failure(TransportError.other("libcurl could not start a request")))
        }
        running[easy] = t
    }

    private func cancel(_ t: CurlTransfer) {
        guard let easy = t.easy, running.removeValue(forKey: easy) != nil else {
            // Not added yet (the task was cancelled before it began), or finished.
            t.cancelledEarly = true
            return
        }
        curl_multi_remove_handle(multi, easy)
        finish(t, .failure(CancellationError()))
    }

    /// Hands the outcome to the waiting task and frees the handle. Runs once per transfer.
    private func finish(_ t: CurlTransfer, _ outcome: Result<HTTPResponseData, any Error>) {
        let continuation = t.continuation
        t.continuation = nil
        t.keepInfo()
        t.release()
        continuation?.resume(with: outcome)
    }
}
