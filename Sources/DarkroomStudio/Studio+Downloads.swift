import DarkroomCore
import DarkroomHistory
import Foundation

/// Downloads: a succeeded task's results are claimed in history (one process
/// fetches each), fetched, and recorded; a result another live process holds is
/// watched until that process ends it, or taken over if it died. Also the waits
/// that tests and figures use instead of sleeping (`downloadsSettled`).
extension Studio {
    /// Results being downloaded by this process now (for tests and figures).
    public var downloadsInFlight: Int { downloading.values.reduce(0, +) }

    /// Returns once no download runs in this process: at once if none does,
    /// else when the last one ends (or the Studio shuts down). For tests and
    /// figures, which wait on this instead of sleeping. A cancelled caller
    /// returns at once (so a test's time limit ends the wait).
    public func downloadsSettled() async {
        guard !downloading.isEmpty else { return }
        downloadsSettledWaiterNumber += 1
        let number = downloadsSettledWaiterNumber
        await withTaskCancellationHandler {
            await withCheckedContinuation { c in
                if Task.isCancelled { c.resume(); return }
                downloadsSettledWaiters.append((number, c))
            }
        } onCancel: {
            Task { await self.resumeDownloadsSettledWaiter(number) }
        }
    }

    private func resumeDownloadsSettledWaiter(_ number: Int) {
        guard let i = downloadsSettledWaiters.firstIndex(where: { $0.number == number }) else { return }
        downloadsSettledWaiters.remove(at: i).continuation.resume()
    }

    func resumeDownloadsSettledWaiters() {
        let waiters = downloadsSettledWaiters
        downloadsSettledWaiters = []
        for w in waiters { w.continuation.resume() }
    }

    /// Downloads (again, with `force`) every result of a task and waits for them.
    /// A failed re-download keeps the saved file and says so in the report.
    public func downloadNow(localID: Int64, force: Bool = false) async throws -> DownloadReport {
        guard let r = try await store.record(localID: localID) else { return DownloadReport(record: nil) }
        var report = DownloadReport(record: r)
        var claimed: [ResultRecord] = []
        var others: [Int] = []
        let idleHere = downloading[localID] == nil
        for result in r.results {
            switch try await store.claimDownload(localID: localID, index: result.index, force: force) {
            case .granted: claimed.append(result)
            // Ours in history, yet nothing of the task downloads here: left by a download whose
            // outcome the history could not take (a full disk). Taken up again.
            case .runningHere where idleHere: claimed.append(result)
            case .heldElsewhere, .runningHere: others.append(result.index)
            case .notNeeded: break
            }
        }
        downloading[localID, default: 0] += claimed.count
        let outcomes = await withTaskGroup(of: DownloadOutcome.self) { group in
            for result in claimed { group.addTask { await self.runDownload(r, result) } }
            var all: [DownloadOutcome] = []
            for await o in group { all.append(o) }
            return all
        }
        for index in others { await waitForOtherProcess(r, index: index) }
        for o in outcomes.sorted(by: { $0.index < $1.index }) {
            switch o.result {
            case .success: report.saved.append(o.index)
            case let .failure(e): report.failed.append(.init(index: o.index, message: e.reason, keptSavedCopy: o.keptSavedCopy))
            }
        }
        let ticket = recordOrder.ticket()
        report.record = try await store.record(localID: localID)
        if let r = report.record { emitRecord(r, ticket: ticket) }
        return report
    }

    /// Claims and starts the downloads of a succeeded task's results. A result
    /// another live process is fetching is watched until that process ends it
    /// (or dies, and this one takes over), so this process settles too.
    /// `fresh`: the task as just read from history (its claims are decided
    /// afresh, in one transaction, whatever it says).
    func scheduleDownloads(_ fresh: TaskRecord) async {
        guard downloader != nil else { return }
        let wanted = fresh.results.filter { $0.state != .saved && $0.state != .expired && $0.state != .refused }
        guard !wanted.isEmpty else { return }
        let claims: [DownloadClaim]
        do { claims = try await store.claimDownloads(localID: fresh.localID, indexes: wanted.map(\.index)) } catch {
            // Recorded as failed (when the history takes it), so the task settles; `download` retries.
            for result in wanted {
                _ = try? await store.recordDownloadFailure(localID: fresh.localID, index: result.index,
                                                       message: "the download could not be claimed: \(HistoryStore.describe(error))", expired: false)
            }
            return
        }
        // A claim of ours in history while nothing of the task downloads here was left by a
        // download whose outcome the history could not take (a full disk): taken up again.
        let idleHere = downloading[fresh.localID] == nil && waitingOnOthers[fresh.localID] == nil
        for (result, claim) in zip(wanted, claims) {
            // Granted: ours to download. Ours already, in history only: taken up again
            // when nothing of the task downloads here.
            let ours = claim == .granted || (claim == .runningHere && idleHere)
            switch ours ? .granted : claim {
            case .granted:
                downloading[fresh.localID, default: 0] += 1
                Task {
                    let done = await self.runDownload(fresh, result)
                    // Emitted after this download's count in `downloading` dropped: the last
                    // of a task's downloads to end says it is settled. Its record, read in the
                    // download's own write, is stale when a sibling's later one went out first:
                    // then the task is read afresh, so that last word is not lost.
                    if let r = done.record, self.emitRecord(r, ticket: done.ticket) { return }
                    await self.emit(fresh.localID)
                }
            case .heldElsewhere, .runningHere:
                // Another process, or another download in this one, has it: follow it to its end.
                waitingOnOthers[fresh.localID, default: 0] += 1
                Task {
                    await self.waitForOtherProcess(fresh, index: result.index, counted: true)
                    await self.emit(fresh.localID)
                }
            case .notNeeded:
                break
            }
        }
    }

    /// Waits while another process holds the claim on a result; takes the
    /// download over if that process is gone or its claim went stale.
    private func waitForOtherProcess(_ r: TaskRecord, index: Int, counted: Bool = false) async {
        defer {
            if counted {
                waitingOnOthers[r.localID, default: 1] -= 1
                if waitingOnOthers[r.localID] == 0 { waitingOnOthers[r.localID] = nil }
            }
        }
        while !Task.isCancelled {
            do { try await clock.sleep(until: clock.now.advanced(by: claimCheckInterval), tolerance: nil) } catch { return }
            guard let claim = try? await store.claimDownload(localID: r.localID, index: index) else { continue }
            switch claim {
            case .heldElsewhere, .runningHere: continue
            case .notNeeded: return
            case .granted:
                downloading[r.localID, default: 0] += 1
                let fresh = (try? await store.record(localID: r.localID)) ?? r
                if let result = fresh.results.first(where: { $0.index == index }) { _ = await runDownload(fresh, result) }
                return
            }
        }
    }

    /// What one download came to.
    struct DownloadOutcome: Sendable {
        let index: Int
        let result: Result<SavedResult, DownloadError>
        /// A failed re-download left the saved copy in place.
        var keptSavedCopy = false
        /// The task as the saved file's write left it, and that write's place in `recordOrder`.
        var record: TaskRecord?
        var ticket: UInt64 = 0
    }

    /// Fetches one claimed result and records the outcome.
    private func runDownload(_ r: TaskRecord, _ result: ResultRecord) async -> DownloadOutcome {
        defer {
            downloading[r.localID, default: 1] -= 1
            if downloading[r.localID] == 0 { downloading[r.localID] = nil }
            if downloading.isEmpty { resumeDownloadsSettledWaiters() }
        }
        guard let downloader else { return DownloadOutcome(index: result.index, result: .failure(.io("downloads are off"))) }
        let outcome = await downloader.download(url: result.url, taskID: r.taskID, localID: r.localID, index: result.index,
                                                provenance: Self.provenance(r))
        var done = DownloadOutcome(index: result.index, result: outcome)
        switch outcome {
        case let .success(file):
            done.ticket = recordOrder.ticket()
            do { done.record = try await store.recordDownload(localID: r.localID, index: result.index, file: file) } catch { historyFailed(error) }
        case let .failure(e):
            do {
                done.keptSavedCopy = try await store.recordDownloadFailure(localID: r.localID, index: result.index, message: e.reason,
                                                                           expired: e.isExpired, refused: e.isRefusedLink)
            } catch { historyFailed(error) }
        }
        return done
    }

    static func provenance(_ r: TaskRecord) -> JSONValue {
        let body: JSONValue = {
            if case let .success(v) = RequestValidator.validate(r.request) { return RequestEncoder.jsonObject(v) }
            return .null
        }()
        func time(_ d: Date?) -> JSONValue { d.map { .string(TimeText.iso8601($0)) } ?? .null }
        return .object([
            ("task_id", r.taskID.map { .string($0) } ?? .null), ("local_id", .int(Int(r.localID))),
            ("model", .string(r.request.model)), ("prompt", .string(r.request.prompt)), ("parameters", body),
            ("profile", .string(r.profile)), ("base_url", .string(r.baseURL)),
            ("created_at", time(r.createdAt)), ("submitted_at", time(r.submittedAt)), ("finished_at", time(r.finishedAt)),
        ])
    }
}
