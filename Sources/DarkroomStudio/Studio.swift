import DarkroomCore
import DarkroomHistory
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
    /// The endpoint this Studio serves: with a task id, it names a task.
    public nonisolated let endpoint: Endpoint
    public nonisolated let events: AsyncStream<StudioEvent>
    private let eventSink: AsyncStream<StudioEvent>.Continuation
    var client: DarkroomClient

    /// Asks the gateway's routes with this Studio's endpoint, key and connections
    /// (the key as it is now, after a reread), starting from `facts`.
    public func askGateway(_ routes: [GatewayRoute], from facts: GatewayFacts) async -> (GatewayFacts, [GatewayRoute: GatewayProbe.Outcome]) {
        await GatewayProbe(base: client.baseURL, apiKey: client.apiKey, transport: client.transport).refresh(facts, routes: routes)
    }

    /// The key this Studio uses now (to name its gateway cache; never shown).
    public var apiKey: APIKey { client.apiKey }
    /// Every request of a run goes through it: at most `max_concurrent_submits`
    /// at once, and a 429 holds all of them (see `Studio+Runs`).
    public nonisolated let submitQueue: SubmitQueue<C>
    private let poller: TaskPoller<C>
    let downloader: ResultDownloader?
    let clock: C
    /// How often a result another process is downloading is checked on.
    let claimCheckInterval: Duration
    private var pump: Task<Void, Never>?
    /// The poller's updates not yet handled, in order, and whether a drain runs.
    var pendingUpdates: [PollerUpdate] = []
    private var draining = false
    /// Results downloading in this process, by local id.
    var downloading: [Int64: Int] = [:]
    /// Callers of `downloadsSettled()` waiting for `downloading` to empty, by number.
    var downloadsSettledWaiters: [(number: Int, continuation: CheckedContinuation<Void, Never>)] = []
    var downloadsSettledWaiterNumber = 0
    /// Results another darkroom process is downloading, which this one waits for.
    var waitingOnOthers: [Int64: Int] = [:]
    /// The order of what `events` says of each task (see `RecordOrder`).
    var recordOrder = RecordOrder()
    /// Whether a failed history write was said and no write has succeeded since (said once, not per answer).
    var historyFailureSaid = false
    /// Runs held in this process (`hold(run:)`), each with the senders waiting for its release.
    var heldRuns: [Int64: [CheckedContinuation<Void, Never>]] = [:]

    /// - Parameters:
    ///   - client: used for submits as given (a submit is only retried when refused
    ///     before sending) and, without retries, for the poller's queries.
    ///   - downloader: nil turns automatic downloads off.
    ///   - claimCheckInterval: how often to look at a result another process is
    ///     downloading (default 1 s), to report its end or take over if that process died.
    ///   - maxConcurrentSubmits: requests of runs sent at once (default 2).
    public init(store: HistoryStore, profile: String, client: DarkroomClient, clock: C, maxInFlight: Int = 16,
                downloader: ResultDownloader?, claimCheckInterval: Duration = .seconds(1), maxConcurrentSubmits: Int = 2) {
        self.store = store
        self.profile = profile
        self.endpoint = Endpoint(client.baseURL)
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
                for await u in updates { await self?.receive(u) }
            }
        }
        try await store.replayJournal()
        let unknown = try await store.recoverOrphanedIntents()
        let paused = try await store.recoverOrphanedWaiting()
        let unfinished = try await store.unfinished(endpoint: endpoint)
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
        // A remix records the hash of the bytes it sends now.
        let request = request.hashingOrigins()
        let valid: ValidRequest
        switch RequestValidator.validate(request) {
        case let .success(v): valid = v
        case let .failure(f): throw .invalid(f)
        }
        let localID: Int64
        do { localID = try await store.recordIntent(request, valid: valid, profile: profile, endpoint: endpoint, run: run) } catch {
            throw .storage(HistoryStore.describe(error))
        }
        await emit(localID)
        return try await transmit(valid, localID: localID)
    }

    /// Sends a request whose intent is recorded (`localID`), records the answer
    /// (the task id at once, or why there is none), and starts watching.
    /// - Parameter requeueOnRateLimit: a request of a run refused with 429 (which created
    ///   nothing) goes back to `waiting` instead of being recorded as refused.
    func transmit(_ valid: ValidRequest, localID: Int64, requeueOnRateLimit: Bool = false) async throws(StudioError) -> TaskRecord {
        let task: ImageTask
        do {
            task = try await client.submit(valid)
        } catch {
            let clientError = (error as? ClientError) ?? .api(.connectionLost(message: String(describing: error), duringSubmit: true))
            if requeueOnRateLimit, case .api(.rateLimited) = clientError,
               (try? await store.requeue(localID: localID, reason: "the server was busy (429); it waits its turn again")) == true {
                await emit(localID)
                throw .submitFailed(record: try? await store.record(localID: localID), error: clientError)
            }
            try? await store.recordSubmitFailure(localID: localID, message: clientError.description, mayExist: Self.mayExist(clientError),
                                                 failure: Self.failure(clientError))
            await emit(localID)
            throw .submitFailed(record: try? await store.record(localID: localID), error: clientError)
        }
        let ticket = recordOrder.ticket()
        let (record, retired) = try await recordID(task, localID: localID)
        emitRecord(record, ticket: ticket)
        // A server that handed this id out before (restarted with a fresh counter)
        // ended earlier tasks here as lost: show where they stand.
        for id in retired { await emit(id) }
        if task.status.isFinished {
            if task.status == .succeeded { await scheduleDownloads(record) }
        } else {
            await poller.watch(task.id, last: task)
        }
        return record
    }

    /// Writes the id the server gave; if the history cannot take it (after a
    /// second try), appends it to the journal and throws `recordFailed`.
    /// Also returns the earlier tasks that held the same id and ended as lost.
    private func recordID(_ task: ImageTask, localID: Int64) async throws(StudioError) -> (TaskRecord, [Int64]) {
        var reason = ""
        for _ in 0..<2 {
            do {
                let written = try await store.recordSubmittedRetiring(localID: localID, task: task)
                if let r = written.record { return (r, written.retired) }
                reason = "its intent row is gone"
            } catch {
                reason = HistoryStore.describe(error)
            }
        }
        let entry = SubmitJournal.Entry(localID: localID, endpoint: endpoint, profile: profile, taskID: task.id,
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
            var found = try await store.record(taskID: id, endpoint: endpoint)
            if found == nil { found = try await store.adopt(taskID: id, profile: profile, endpoint: endpoint) }
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
        let ticket = recordOrder.ticket()
        guard let r = try await store.setWatched(localID: localID, watched) else { return nil }
        if let id = r.taskID {
            if watched && r.state.isWatchable {
                let age = Duration.seconds(max(0, Date().timeIntervalSince(r.submittedAt ?? r.createdAt)))
                await poller.watch(id, age: age, last: nil)
            } else if !watched {
                await poller.stopWatching(id)
            }
        }
        emitRecord(r, ticket: ticket)
        return r
    }

    /// Stars, hides or tags a task in the history, and says so on `events` (the
    /// TUI's list, gallery and grid follow). Returns the task as stored; nil: gone.
    @discardableResult
    public func curate(localID: Int64, _ change: Curation) async throws -> TaskRecord? {
        let ticket = recordOrder.ticket()
        let r: TaskRecord?
        switch change {
        case let .star(picture, on): r = try await store.setStarred(localID: localID, picture: picture, on)
        case let .hide(on): r = try await store.setHidden(localID: localID, on)
        case let .tags(tags): r = try await store.setTags(localID: localID, tags)
        }
        if let r { emitRecord(r, ticket: ticket) }
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

    /// Stops polling and ends `events`. Requests of runs this process still
    /// held waiting are paused (never sent by themselves; `darkroom run resume`).
    public func shutdown() async {
        _ = try? await store.pauseOwnWaiting(endpoint: endpoint, reason: "not sent: darkroom was closed before its turn; resume or cancel it")
        // Senders held by a question find their requests paused and end.
        for run in Array(heldRuns.keys) { release(run: run) }
        await poller.shutdown()
        pump?.cancel()
        // Answers not written yet are dropped, as the stream's unread ones are: their
        // tasks stay unfinished in history and are asked again at the next start.
        pendingUpdates.removeAll()
        eventSink.finish()
        resumeDownloadsSettledWaiters()
    }

    // MARK: - Internals

    /// Queues an update and returns at once, so the pump keeps reading while
    /// earlier ones are written: answers that arrive while a write runs are
    /// written together in the next one (see `drain`).
    private func receive(_ update: PollerUpdate) {
        pendingUpdates.append(update)
        guard !draining else { return }
        draining = true
        Task { await self.drain() }
    }

    /// Handles the queued updates in order until none is left. Answers next to
    /// each other share one write transaction (`HistoryStore.apply(_:endpoint:)`
    /// with an array): a burst of answers costs one trip to the history, not one
    /// each. Each record is emitted once its transaction committed.
    private func drain() async {
        while !pendingUpdates.isEmpty {
            let batch = pendingUpdates
            pendingUpdates = []
            var answers: [ImageTask] = []
            for update in batch {
                if case let .task(t) = update {
                    answers.append(t)
                } else {
                    // Anything else keeps its place: the answers before it are written first.
                    await record(answers)
                    answers = []
                    await handle(update)
                }
            }
            await record(answers)
        }
        draining = false
    }

    /// Writes answers from the server and reports what changed. When the write
    /// fails (a history locked past its timeout), nothing is reported: the next
    /// answers bring the same news, as they did when each was written alone.
    private func record(_ answers: [ImageTask]) async {
        guard !answers.isEmpty else { return }
        let ticket = recordOrder.ticket()
        let written: [TaskRecord?]
        do {
            written = try await store.apply(answers, endpoint: endpoint)
            historyFailureSaid = false
        } catch {
            // A full disk or a broken file will not heal by the next answer: said, so no face waits for ever.
            historyFailed(error)
            written = Array(repeating: nil, count: answers.count)
        }
        for (t, record) in zip(answers, written) {
            var r = record
            // Unchanged here because another process wrote the same answer first:
            // the end is still news to this one, and its downloads still matter.
            if r == nil, t.status.isFinished { r = try? await store.record(taskID: t.id, endpoint: endpoint) }
            guard let r else { continue }
            if r.state == .succeeded { await scheduleDownloads(r) }
            emitRecord(r, ticket: ticket)
        }
    }

    private func handle(_ update: PollerUpdate) async {
        switch update {
        case let .task(t):
            await record([t])
        case let .lost(id, message):
            let ticket = recordOrder.ticket()
            if let r = try? await store.markEnded(taskID: id, endpoint: endpoint, as: .lost, message: message) { emitRecord(r, ticket: ticket) }
        case let .expired(id):
            let ticket = recordOrder.ticket()
            if let r = try? await store.markEnded(taskID: id, endpoint: endpoint, as: .expired,
                                                  message: "still unfinished 24 h after submit; the platform gives up then") {
                emitRecord(r, ticket: ticket)
            }
        case let .authFailed(m): eventSink.yield(.authFailed(message: m))
        case let .stale(id, m, silent): eventSink.yield(.stale(taskID: id, message: m, silent: silent))
        case let .recovered(id): eventSink.yield(.recovered(taskID: id))
        case let .note(id, m): eventSink.yield(.note(taskID: id, message: m))
        case .resumed: eventSink.yield(.resumed)
        }
    }

    /// Reports a history write that failed for a reason the next try will not cure
    /// (not a lock held elsewhere, which the next answer rides out).
    /// Said once until a write succeeds again.
    func historyFailed(_ error: any Error) {
        guard !HistoryStore.isTransient(error), !historyFailureSaid else { return }
        historyFailureSaid = true
        eventSink.yield(.historyFailed(message: HistoryStore.describe(error)))
    }

    /// Reads the task afresh and emits it.
    func emit(_ localID: Int64) async {
        let ticket = recordOrder.ticket()
        if let r = try? await store.record(localID: localID) { emitRecord(r, ticket: ticket) }
    }

    /// Emits `r`, read or written after `ticket` was taken, unless a record of the
    /// same task that was read later has been emitted already. Returns whether it was emitted.
    @discardableResult
    func emitRecord(_ r: TaskRecord, ticket: UInt64) -> Bool {
        guard recordOrder.admit(r.localID, ticket: ticket) else { return false }
        eventSink.yield(.changed(r))
        return true
    }
}
