import DarkroomCore
import DarkroomHistory
import Foundation

/// What became of one request of a run.
public enum RunOutcome: Sendable {
    case sent(TaskRecord)
    case failed(StudioError)
    /// Not sent: paused or cancelled before its turn (by the user, another
    /// process, or an earlier failure of the run); `state` is what it was found in.
    case notSent(localID: Int64, state: TaskState)
}

/// What a request's turn in the submit queue came to.
private enum Turn {
    case sent(TaskRecord)
    case notSent(TaskState)
    /// Its run is held (`Studio.hold(run:)`): the turn is given back, to be taken again once released.
    case held(Int64)
}

/// Runs: many requests recorded at once, then sent through the submit queue.
///
/// Every request is written to history as `waiting` before any is sent, and
/// each is taken from `waiting` to `intent` in one write just before it is
/// sent, so pausing or cancelling the ones not sent is a write to history that
/// any process can make, and nothing is ever sent twice. After a failure
/// other than a 429 (a refused key, a submission whose outcome is unknown),
/// the requests of the same call still waiting are paused, not sent.
extension Studio {
    /// Validates every request (none is recorded unless all are valid) and
    /// records them as waiting to send, in one durable write. Returns their local ids.
    public func queue(_ requests: [ImageRequest], run: Int64?) async throws(StudioError) -> [Int64] {
        var valid: [(ImageRequest, ValidRequest)] = []
        for r in requests.map({ $0.hashingOrigins() }) {
            switch RequestValidator.validate(r) {
            case let .success(v): valid.append((r, v))
            case let .failure(f): throw .invalid(f)
            }
        }
        do {
            let ids = try await store.recordWaiting(valid, profile: profile, endpoint: endpoint, run: run)
            for id in ids { await emit(id) }
            return ids
        } catch {
            throw .storage(HistoryStore.describe(error))
        }
    }

    /// Sends waiting requests through `submitQueue`, in order, and returns each
    /// outcome (in the same order) once every one is sent, failed or not sent.
    public func send(waiting localIDs: [Int64]) async -> [RunOutcome] {
        await withTaskGroup(of: (Int, RunOutcome).self) { group in
            for (i, id) in localIDs.enumerated() {
                group.addTask {
                    var refusedBusy = 0
                    do {
                        while true {
                            let turn: Turn
                            do {
                                turn = try await self.submitQueue.run { () async throws(StudioError) -> Turn in
                                    try await self.sendIfWaiting(localID: id)
                                }
                            } catch let e where Self.rateLimit(e) != nil && refusedBusy + 1 < Self.busyRetries {
                                // A 429 created nothing: the request waits again (requeued by `transmit`);
                                // the queue holds every submit until Retry-After, then it takes its turn.
                                refusedBusy += 1
                                continue
                            }
                            switch turn {
                            case let .sent(record): return (i, .sent(record))
                            case let .notSent(state): return (i, .notSent(localID: id, state: state))
                            case let .held(run): await self.waitWhileHeld(run: run)
                            }
                        }
                    } catch let e as StudioError {
                        if Self.rateLimit(e) != nil {
                            // Busy every time: it waits, paused, for `run resume` (it was requeued, so it is unsent).
                            if let moved = try? await self.pause([id], reason: "not sent: the server kept answering 429 (busy); run resume sends it"),
                               !moved.isEmpty {
                                return (i, .notSent(localID: id, state: .paused))
                            }
                        } else {
                            // The rest waits for the user: the key may be refused, or this one may exist.
                            // Every one still waiting (those started are not waiting any more),
                            // whatever order the queue took them in.
                            _ = try? await self.pause(localIDs, reason: "not sent: #\(id) of the same run failed before its turn; resume or cancel it")
                        }
                        return (i, .failed(e))
                    } catch {
                        return (i, .failed(.storage(String(describing: error))))
                    }
                }
            }
            var out = [RunOutcome](repeating: .notSent(localID: 0, state: .waiting), count: localIDs.count)
            for await (i, o) in group { out[i] = o }
            return out
        }
    }

    /// Takes a waiting request and sends it; not sent when it was not waiting
    /// any more; held (nothing taken) while its run is held.
    private func sendIfWaiting(localID: Int64) async throws(StudioError) -> Turn {
        let record: TaskRecord?
        do { record = try await store.record(localID: localID) } catch { throw .storage(HistoryStore.describe(error)) }
        guard let record else { return .notSent(.cancelled) }
        guard record.state == .waiting else { return .notSent(record.state) }
        guard record.endpoint == endpoint else {
            // Made for another endpoint (another profile): sent there, or not at all.
            _ = try? await pause([localID], reason: "not sent: it was made for \(record.baseURL); resume it with that profile")
            return .notSent(.paused)
        }
        // Checked with no suspension before the take: a hold that came in before it stops this request.
        if let run = record.runID, heldRuns[run] != nil { return .held(run) }
        let taken: Bool
        do { taken = try await store.takeWaiting(localID: localID) } catch { throw .storage(HistoryStore.describe(error)) }
        guard taken else { return .notSent((try? await store.record(localID: localID))?.state ?? .cancelled) }
        await emit(localID)
        switch RequestValidator.validate(record.request) {
        case let .success(v):
            return .sent(try await transmit(v, localID: localID, requeueOnRateLimit: true))
        case let .failure(f):
            // Valid when queued, so only a changed catalogue gets here; nothing is sent.
            try? await store.recordSubmitFailure(localID: localID, message: f.description, mayExist: false, failure: .refused)
            await emit(localID)
            throw .invalid(f)
        }
    }

    /// Holds a run in this process: none of its requests is taken from `waiting`
    /// until `release(run:)` (one already taken goes on). For a question about
    /// the run: nothing is written, so a darkroom that dies while asking leaves
    /// them waiting, and the next start pauses them. Returns how many of its
    /// requests are unsent now.
    @discardableResult
    public func hold(run: Int64) async -> Int {
        if heldRuns[run] == nil { heldRuns[run] = [] }
        return (try? await store.unsent(run: run).count) ?? 0
    }

    /// Ends `hold(run:)`: the run's senders take their turns again.
    public func release(run: Int64) {
        guard let waiters = heldRuns.removeValue(forKey: run) else { return }
        for w in waiters { w.resume() }
    }

    /// Whether the run is held (nil: not held), and how many of its senders wait for its release (for tests).
    public func holdWaiters(run: Int64) -> Int? { heldRuns[run]?.count }

    private func waitWhileHeld(run: Int64) async {
        guard heldRuns[run] != nil else { return }
        await withCheckedContinuation { heldRuns[run, default: []].append($0) }
    }

    /// Holds requests not sent yet (`paused`); they are sent only when resumed.
    @discardableResult
    public func pause(_ localIDs: [Int64], reason: String = "paused before it was sent") async throws -> [Int64] {
        let moved = try await store.moveUnsent(localIDs, to: .paused, reason: reason)
        for id in moved { await emit(id) }
        return moved
    }

    /// Cancels requests not sent yet: they are never sent.
    @discardableResult
    public func cancel(_ localIDs: [Int64]) async throws -> [Int64] {
        let moved = try await store.moveUnsent(localIDs, to: .cancelled)
        for id in moved { await emit(id) }
        return moved
    }

    /// Makes paused requests wait for their turn again (in this process) and
    /// sends them; returns what became of each one resumed.
    public func resume(_ localIDs: [Int64]) async throws -> [RunOutcome] {
        let moved = try await store.moveUnsent(localIDs, to: .waiting)
        for id in moved { await emit(id) }
        return await send(waiting: moved)
    }

    /// How many 429s in a row pause a request of a run (it is sent that many times at most).
    static var busyRetries: Int { 3 }

    /// A submit refused with 429: its Retry-After (5 s without one); nil for any other error.
    public static func rateLimit(_ error: any Error) -> Duration? {
        if case let .submitFailed(_, .api(.rateLimited(_, after)))? = error as? StudioError { return after ?? .seconds(5) }
        return nil
    }
}
