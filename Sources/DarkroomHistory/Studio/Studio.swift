import DarkroomCore
import Foundation

/// Ties the pieces together for one endpoint: a submit is written to history
/// before it is sent, the poller watches every unfinished task, each change
/// lands in history, and results are downloaded as soon as a task succeeds.
/// The CLI and the TUI are both thin faces on a Studio.
///
/// Every history call is asynchronous (GRDB's own queues), so a history locked
/// by another process delays that call only, never the poller or the caller.
public actor Studio<C: Clock> where C.Duration == Duration {
    public nonisolated let store: HistoryStore
    public nonisolated let profile: String
    /// The endpoint, normalised (`Endpoint.normalize`): with a task id, it names a task.
    public nonisolated let baseURL: String
    public nonisolated let events: AsyncStream<StudioEvent>
    private let eventSink: AsyncStream<StudioEvent>.Continuation
    var client: DarkroomClient
    /// Every request of a run goes through it: at most `max_concurrent_submits`
    /// at once, and a 429 holds all of them (see `Studio+Runs`).
    public nonisolated let submitQueue: SubmitQueue<C>
    private let poller: TaskPoller<C>
    private let downloader: ResultDownloader?
    private let clock: C
    /// How often a result another process is downloading is checked on.
    private let claimCheckInterval: Duration
    private var pump: Task<Void, Never>?
    /// Results downloading in this process, by local id.
    private var downloading: [Int64: Int] = [:]
    /// Callers of `downloadsSettled()` waiting for `downloading` to empty, by number.
    private var downloadsSettledWaiters: [(number: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var downloadsSettledWaiterNumber = 0
    /// Results another darkroom process is downloading, which this one waits for.
    private var waitingOnOthers: [Int64: Int] = [:]

    /// - Parameters:
    ///   - client: used for submits as given (a submit is only retried when refused
    ///     before sending) and, without retries, for the poller's queries.
    ///   - downloader: nil turns automatic downloads off.
    ///   - claimCheckInterval: how often to look at a result another process is
    ///     downloading (default 1 s), to report its end or take over if that process died.
    ///   - maxConcurrentSubmits: requests of runs sent at once (default 2).
    public init(store: HistoryStore, profile: String, client: DarkroomClient, clock: C, maxInFlight: Int = 4,
                downloader: ResultDownloader?, claimCheckInterval: Duration = .seconds(1), maxConcurrentSubmits: Int = 2) {
        self.store = store
        self.profile = profile
        self.baseURL = Endpoint.normalize(client.baseURL)
        self.client = client
        self.clock = clock
        self.claimCheckInterval = claimCheckInterval
        self.poller = TaskPoller(client: client.forPolling, clock: clock, maxInFlight: maxInFlight)
        self.downloader = downloader
        self.submitQueue = SubmitQueue(limit: maxConcurrentSubmits, clock: clock, rateLimit: Self.rateLimit)
        (events, eventSink) = AsyncStream.makeStream(of: StudioEvent.self)
    }

    /// Starts watching: task ids the history could not take last time are
    /// recorded now, intents left by a process that died become "submission
    /// unknown" (returned, never resubmitted), requests of runs it left unsent
    /// become paused (returned with every paused one, never sent by themselves),
    /// every watched unfinished task of this endpoint goes back to the poller,
    /// and pending downloads resume.
    @discardableResult
    public func start() async throws -> (unknownSubmits: [TaskRecord], resumed: [TaskRecord], paused: [TaskRecord]) {
        if pump == nil {
            let updates = poller.updates
            pump = Task { [weak self] in
                for await u in updates { await self?.handle(u) }
            }
        }
        try await store.replayJournal()
        let unknown = try await store.recoverOrphanedIntents()
        let paused = try await store.recoverOrphanedWaiting()
        let unfinished = try await store.unfinished(baseURL: baseURL)
        let now = Date()
        for r in unfinished {
            guard let id = r.taskID else { continue }
            let age = Duration.seconds(max(0, now.timeIntervalSince(r.submittedAt ?? r.createdAt)))
            await poller.watch(id, age: age, last: nil)
        }
        if let downloader {
            // No download lasts an hour (its limit is 300 s): older part files are left by killed ones.
            PartFiles.sweep(downloader.resultsDirectory, olderThan: now.addingTimeInterval(-3600))
            for (localID, _) in try await store.pendingDownloads() where downloading[localID] == nil {
                if let r = try await store.record(localID: localID) { await scheduleDownloads(r) }
            }
        }
        return (unknown, unfinished, paused)
    }

    /// Validates, records the intent durably, submits, records the task id at
    /// once, and starts watching. Nothing is sent when validation fails or the
    /// intent cannot be written. Once the server gave an id, the id reaches the
    /// history, the journal beside it, or the error thrown (`recordFailed`).
    /// - Parameter run: the run the task belongs to (`HistoryStore.createRun`), if any.
    public func submit(_ request: ImageRequest, run: Int64? = nil) async throws(StudioError) -> TaskRecord {
        let valid: ValidRequest
        switch RequestValidator.validate(request) {
        case let .success(v): valid = v
        case let .failure(f): throw .invalid(f)
        }
        let localID: Int64
        do { localID = try await store.recordIntent(request, valid: valid, profile: profile, baseURL: baseURL, run: run) } catch {
            throw .storage(HistoryStore.describe(error))
        }
        await emit(localID)
        return try await transmit(valid, localID: localID)
    }

    /// Sends a request whose intent is recorded (`localID`), records the answer
    /// (the task id at once, or why there is none), and starts watching.
    func transmit(_ valid: ValidRequest, localID: Int64) async throws(StudioError) -> TaskRecord {
        let task: ImageTask
        do {
            task = try await client.submit(valid)
        } catch {
            let clientError = (error as? ClientError) ?? .api(.connectionLost(message: String(describing: error), duringSubmit: true))
            try? await store.recordSubmitFailure(localID: localID, message: clientError.description, mayExist: Self.mayExist(clientError),
                                                 failure: Self.failure(clientError))
            await emit(localID)
            throw .submitFailed(record: try? await store.record(localID: localID), error: clientError)
        }
        let record = try await recordID(task, localID: localID)
        emitRecord(record)
        if task.status.isFinished {
            if task.status == .succeeded { await scheduleDownloads(record) }
        } else {
            await poller.watch(task.id, last: task)
        }
        return record
    }

    /// Writes the id the server gave; if the history cannot take it (after a
    /// second try), appends it to the journal and throws `recordFailed`.
    private func recordID(_ task: ImageTask, localID: Int64) async throws(StudioError) -> TaskRecord {
        var reason = ""
        for _ in 0..<2 {
            do {
                if let r = try await store.recordSubmitted(localID: localID, task: task) { return r }
                reason = "its intent row is gone"
            } catch {
                reason = HistoryStore.describe(error)
            }
        }
        let entry = SubmitJournal.Entry(localID: localID, baseURL: baseURL, profile: profile, taskID: task.id,
                                        status: task.status.name, at: Date())
        let journal = store.journal
        let kept: String? = (try? journal.append(entry)) != nil ? journal.path : nil
        throw .recordFailed(taskID: task.id, localID: localID, journal: kept, reason: reason)
    }

    /// Watches tasks by id on this endpoint, adding those history does not know
    /// yet, and watching again those the user had stopped watching.
    public func watch(taskIDs: [String]) async throws -> [TaskRecord] {
        var out: [TaskRecord] = []
        for id in taskIDs {
            var found = try await store.record(taskID: id, baseURL: baseURL)
            if found == nil { found = try await store.adopt(taskID: id, profile: profile, baseURL: baseURL) }
            guard var r = found else { continue }
            if r.unwatchedAt != nil, let w = try await store.setWatched(localID: r.localID, true) { r = w }
            out.append(r)
            if !r.state.isFinal { await poller.watch(id, last: nil) } else if r.state == .succeeded { await scheduleDownloads(r) }
        }
        return out
    }

    /// Stops (`false`) or resumes (`true`) polling a task. It stays in history;
    /// an unwatched task stays unwatched across restarts until watched again.
    @discardableResult
    public func setWatching(localID: Int64, _ watched: Bool) async throws -> TaskRecord? {
        guard let r = try await store.setWatched(localID: localID, watched) else { return nil }
        if let id = r.taskID {
            if watched && r.state.isWatchable {
                let age = Duration.seconds(max(0, Date().timeIntervalSince(r.submittedAt ?? r.createdAt)))
                await poller.watch(id, age: age, last: nil)
            } else if !watched {
                await poller.stopWatching(id)
            }
        }
        emitRecord(r)
        return r
    }

    /// Resumes polling after an auth failure, with `apiKey` (read afresh) when given:
    /// submits and queries use it from now on.
    public func resumePolling(apiKey: APIKey? = nil) async {
        if let apiKey {
            client = client.with(apiKey: apiKey)
            await poller.setClient(client.forPolling)
        }
        await poller.resume()
    }

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

    private func resumeDownloadsSettledWaiters() {
        let waiters = downloadsSettledWaiters
        downloadsSettledWaiters = []
        for w in waiters { w.continuation.resume() }
    }

    /// The ids being polled.
    public func watchedIDs() async -> Set<String> { await poller.watched }

    /// Returns once the poller waits on the clock, with when it wakes next
    /// (see `TaskPoller.untilIdle`). For tests and figures.
    public func pollerIdle() async -> C.Instant? { await poller.untilIdle() }

    /// True when the task is final and none of its downloads is running, here or
    /// in another darkroom process this one waits for.
    /// A succeeded task with results still pending or claimed is not settled: its
    /// downloads are about to start (or run elsewhere and are waited for).
    public func isSettled(localID: Int64) async throws -> Bool {
        guard (downloading[localID] ?? 0) == 0, (waitingOnOthers[localID] ?? 0) == 0 else { return false }
        guard let r = try await store.record(localID: localID) else { return true }
        return isSettled(r)
    }

    /// `isSettled(localID:)` for a record just received (from `events`), without reading it again.
    public func isSettled(_ r: TaskRecord) -> Bool {
        guard (downloading[r.localID] ?? 0) == 0, (waitingOnOthers[r.localID] ?? 0) == 0 else { return false }
        guard r.state.isFinal else { return false }
        if downloader != nil, r.state == .succeeded, r.results.contains(where: { $0.state == .pending || $0.state == .downloading }) {
            return false
        }
        return true
    }

    /// Downloads (again, with `force`) every result of a task and waits for them.
    /// A failed re-download keeps the saved file and says so in the report.
    public func downloadNow(localID: Int64, force: Bool = false) async throws -> DownloadReport {
        guard let r = try await store.record(localID: localID) else { return DownloadReport(record: nil) }
        var report = DownloadReport(record: r)
        var claimed: [ResultRecord] = []
        var others: [Int] = []
        for result in r.results {
            switch try await store.claimDownload(localID: localID, index: result.index, force: force) {
            case .granted: claimed.append(result)
            case .heldElsewhere, .runningHere: others.append(result.index)
            case .notNeeded: break
            }
        }
        downloading[localID, default: 0] += claimed.count
        let outcomes = await withTaskGroup(of: (Int, Result<SavedResult, DownloadError>, Bool).self) { group in
            for result in claimed { group.addTask { await self.runDownload(r, result) } }
            var all: [(Int, Result<SavedResult, DownloadError>, Bool)] = []
            for await o in group { all.append(o) }
            return all
        }
        for index in others { await waitForOtherProcess(r, index: index) }
        for (index, outcome, kept) in outcomes.sorted(by: { $0.0 < $1.0 }) {
            switch outcome {
            case .success: report.saved.append(index)
            case let .failure(e): report.failed.append(.init(index: index, message: e.reason, keptSavedCopy: kept))
            }
        }
        report.record = try await store.record(localID: localID)
        if let r = report.record { emitRecord(r) }
        return report
    }

    /// Stops polling and ends `events`. Requests of runs this process still
    /// held waiting are paused (never sent by themselves; `darkroom run resume`).
    public func shutdown() async {
        _ = try? await store.pauseOwnWaiting(baseURL: baseURL, reason: "not sent: darkroom was closed before its turn; resume or cancel it")
        await poller.shutdown()
        pump?.cancel()
        eventSink.finish()
        resumeDownloadsSettledWaiters()
    }

    // MARK: - Internals

    private func handle(_ update: PollerUpdate) async {
        switch update {
        case let .task(t):
            var r = try? await store.apply(t, baseURL: baseURL)
            // Unchanged here because another process wrote the same answer first:
            // the end is still news to this one, and its downloads still matter.
            if r == nil, t.status.isFinished { r = try? await store.record(taskID: t.id, baseURL: baseURL) }
            guard let r else { return }
            if r.state == .succeeded { await scheduleDownloads(r) }
            emitRecord(r)
        case let .lost(id, message):
            if let r = try? await store.markEnded(taskID: id, baseURL: baseURL, as: .lost, message: message) { emitRecord(r) }
        case let .expired(id):
            if let r = try? await store.markEnded(taskID: id, baseURL: baseURL, as: .expired,
                                                  message: "still unfinished 24 h after submit; the platform gives up then") {
                emitRecord(r)
            }
        case let .authFailed(m): eventSink.yield(.authFailed(message: m))
        case let .stale(id, m): eventSink.yield(.stale(taskID: id, message: m))
        case let .recovered(id): eventSink.yield(.recovered(taskID: id))
        case .resumed: eventSink.yield(.resumed)
        }
    }

    /// Claims and starts the downloads of a succeeded task's results. A result
    /// another live process is fetching is watched until that process ends it
    /// (or dies, and this one takes over), so this process settles too.
    /// `fresh`: the task as just read from history (each claim is decided
    /// afresh in its own transaction, whatever it says).
    private func scheduleDownloads(_ fresh: TaskRecord) async {
        guard downloader != nil else { return }
        for result in fresh.results where result.state != .saved && result.state != .expired && result.state != .refused {
            let claim: DownloadClaim
            do { claim = try await store.claimDownload(localID: fresh.localID, index: result.index) } catch {
                // Recorded as failed (when the history takes it), so the task settles; `download` retries.
                _ = try? await store.recordDownloadFailure(localID: fresh.localID, index: result.index,
                                                       message: "the download could not be claimed: \(HistoryStore.describe(error))", expired: false)
                continue
            }
            switch claim {
            case .granted:
                downloading[fresh.localID, default: 0] += 1
                Task {
                    _ = await self.runDownload(fresh, result)
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

    /// Fetches one claimed result and records the outcome. Returns the index,
    /// the outcome, and whether a saved copy was kept after a failure.
    private func runDownload(_ r: TaskRecord, _ result: ResultRecord) async -> (Int, Result<SavedResult, DownloadError>, Bool) {
        defer {
            downloading[r.localID, default: 1] -= 1
            if downloading[r.localID] == 0 { downloading[r.localID] = nil }
            if downloading.isEmpty { resumeDownloadsSettledWaiters() }
        }
        guard let downloader else { return (result.index, .failure(.io("downloads are off")), false) }
        let outcome = await downloader.download(url: result.url, taskID: r.taskID, localID: r.localID, index: result.index,
                                                provenance: Self.provenance(r))
        var kept = false
        switch outcome {
        case let .success(file):
            try? await store.recordDownload(localID: r.localID, index: result.index, file: file)
        case let .failure(e):
            kept = (try? await store.recordDownloadFailure(localID: r.localID, index: result.index, message: e.reason,
                                                           expired: e.isExpired, refused: e.isRefusedLink)) ?? false
        }
        return (result.index, outcome, kept)
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

    func emit(_ localID: Int64) async {
        if let r = try? await store.record(localID: localID) { emitRecord(r) }
    }

    func emitRecord(_ r: TaskRecord) { eventSink.yield(.changed(r)) }
}
