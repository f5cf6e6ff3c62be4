import DarkroomCore
import Foundation

/// Ties the pieces together for one endpoint: a submit is written to history
/// before it is sent, the poller watches every unfinished task, each change
/// lands in history, and results are downloaded as soon as a task succeeds.
/// The CLI and the TUI are both thin faces on a Studio.
public actor Studio<C: Clock> where C.Duration == Duration {
    public nonisolated let store: HistoryStore
    public nonisolated let profile: String
    public nonisolated let baseURL: String
    public nonisolated let events: AsyncStream<StudioEvent>
    private let eventSink: AsyncStream<StudioEvent>.Continuation
    private let client: DarkroomClient
    private let poller: TaskPoller<C>
    private let downloader: ResultDownloader?
    private var pump: Task<Void, Never>?
    /// Downloads in flight, by local id, with how many results each has running.
    private var downloading: [Int64: Int] = [:]

    /// - Parameters:
    ///   - client: used for submits as given (a submit is only retried when refused
    ///     before sending) and, without retries, for the poller's queries.
    ///   - downloader: nil turns automatic downloads off.
    public init(store: HistoryStore, profile: String, client: DarkroomClient, clock: C, maxInFlight: Int = 4,
                downloader: ResultDownloader?) {
        self.store = store
        self.profile = profile
        self.baseURL = client.baseURL.absoluteString
        self.client = client
        self.poller = TaskPoller(client: client.with(retry: .none), clock: clock, maxInFlight: maxInFlight)
        self.downloader = downloader
        (events, eventSink) = AsyncStream.makeStream(of: StudioEvent.self)
    }

    /// Starts watching: intents left by a process that died become "submission
    /// unknown" (returned, never resubmitted), every unfinished task of this
    /// endpoint goes back to the poller, and pending downloads resume.
    @discardableResult
    public func start() async throws -> (unknownSubmits: [TaskRecord], resumed: [TaskRecord]) {
        if pump == nil {
            let updates = poller.updates
            pump = Task { [weak self] in
                for await u in updates { await self?.handle(u) }
            }
        }
        let unknown = try store.recoverOrphanedIntents()
        let unfinished = try store.unfinished(baseURL: baseURL)
        let now = Date()
        for r in unfinished {
            guard let id = r.taskID else { continue }
            let age = Duration.seconds(max(0, now.timeIntervalSince(r.submittedAt ?? r.createdAt)))
            await poller.watch(id, age: age, last: nil)
        }
        if downloader != nil {
            for (localID, _) in try store.pendingDownloads() where downloading[localID] == nil {
                if let r = try store.record(localID: localID) { scheduleDownloads(r) }
            }
        }
        return (unknown, unfinished)
    }

    /// Validates, records the intent durably, submits, records the task id at
    /// once, and starts watching. Nothing is sent when validation fails.
    public func submit(_ request: ImageRequest) async throws(StudioError) -> TaskRecord {
        let valid: ValidRequest
        switch RequestValidator.validate(request) {
        case let .success(v): valid = v
        case let .failure(f): throw .invalid(f)
        }
        let localID: Int64
        do { localID = try store.recordIntent(request, valid: valid, profile: profile, baseURL: baseURL) } catch {
            throw .storage(String(describing: error))
        }
        emit(localID)
        let task: ImageTask
        do {
            task = try await client.submit(valid)
        } catch {
            let clientError = (error as? ClientError) ?? .api(.connectionLost(message: String(describing: error), duringSubmit: true))
            let mayExist: Bool
            switch clientError {
            case .api(.timedOut), .api(.connectionLost), .api(.malformedResponse): mayExist = true
            default: mayExist = false
            }
            try? store.recordSubmitFailure(localID: localID, message: clientError.description, mayExist: mayExist)
            emit(localID)
            throw .submitFailed(record: try? store.record(localID: localID), error: clientError)
        }
        let record: TaskRecord?
        do { record = try store.recordSubmitted(localID: localID, task: task) } catch {
            throw .storage("the task \(task.id) was created but could not be recorded: \(error)")
        }
        guard let record else { throw .storage("the task \(task.id) vanished from history") }
        emitRecord(record)
        if task.status.isFinished {
            if task.status == .succeeded { scheduleDownloads(record) }
        } else {
            await poller.watch(task.id, last: task)
        }
        return record
    }

    /// Watches tasks by id, adding those history does not know yet.
    public func watch(taskIDs: [String]) async throws -> [TaskRecord] {
        var out: [TaskRecord] = []
        for id in taskIDs {
            guard let r = try store.record(taskID: id) ?? store.adopt(taskID: id, profile: profile, baseURL: baseURL) else { continue }
            out.append(r)
            if !r.state.isFinal { await poller.watch(id, last: nil) } else if r.state == .succeeded { scheduleDownloads(r) }
        }
        return out
    }

    /// Stops watching a task; it stays in history and can be watched again.
    public func stopWatching(taskID: String) async { await poller.stopWatching(taskID) }

    /// Resumes polling after an auth failure.
    public func resumePolling() async { await poller.resume() }

    /// The ids being watched.
    public func watchedIDs() async -> Set<String> { await poller.watched }

    /// True when the task is final and none of its downloads is running here.
    public func isSettled(localID: Int64) throws -> Bool {
        guard let r = try store.record(localID: localID) else { return true }
        return r.state.isFinal && (downloading[localID] ?? 0) == 0
    }

    /// Downloads (again, with `force`) every result of a task and waits for them.
    public func downloadNow(localID: Int64, force: Bool = false) async throws -> TaskRecord? {
        guard let r = try store.record(localID: localID) else { return nil }
        await withTaskGroup(of: Void.self) { group in
            for result in r.results {
                guard (try? store.claimDownload(localID: localID, index: result.index, force: force)) == true else { continue }
                downloading[localID, default: 0] += 1
                group.addTask { await self.runDownload(r, result) }
            }
        }
        return try store.record(localID: localID)
    }

    public func shutdown() async {
        await poller.shutdown()
        pump?.cancel()
        eventSink.finish()
    }

    // MARK: - Internals

    private func handle(_ update: PollerUpdate) {
        switch update {
        case let .task(t):
            guard let r = try? store.apply(t) else { return }
            if r.state == .succeeded {
                scheduleDownloads(r)
                emit(r.localID)
            } else {
                emitRecord(r)
            }
        case let .lost(id, message):
            if let r = try? store.markEnded(taskID: id, as: .lost, message: message) { emitRecord(r) }
        case let .expired(id):
            if let r = try? store.markEnded(taskID: id, as: .expired, message: "still unfinished 24 h after submit; the platform gives up then") {
                emitRecord(r)
            }
        case let .authFailed(m): eventSink.yield(.authFailed(message: m))
        case let .stale(id, m): eventSink.yield(.stale(taskID: id, message: m))
        case let .recovered(id): eventSink.yield(.recovered(taskID: id))
        case .resumed: eventSink.yield(.resumed)
        }
    }

    /// Claims and starts the downloads of a succeeded task's results. Claims are
    /// taken here, synchronously, so the task is not settled until they finish.
    private func scheduleDownloads(_ r: TaskRecord) {
        guard downloader != nil else { return }
        let fresh = (try? store.record(localID: r.localID)) ?? r
        for result in fresh.results where result.state != .saved && result.state != .expired {
            guard (try? store.claimDownload(localID: r.localID, index: result.index)) == true else { continue }
            downloading[r.localID, default: 0] += 1
            Task { await self.runDownload(fresh, result) }
        }
    }

    private func runDownload(_ r: TaskRecord, _ result: ResultRecord) async {
        defer {
            downloading[r.localID, default: 1] -= 1
            if downloading[r.localID] == 0 { downloading[r.localID] = nil }
            emit(r.localID)
        }
        guard let downloader else { return }
        let outcome = await downloader.download(url: result.url, taskID: r.taskID, localID: r.localID, index: result.index,
                                                provenance: Self.provenance(r))
        switch outcome {
        case let .success(file):
            try? store.recordDownload(localID: r.localID, index: result.index, file: file)
        case let .failure(e):
            try? store.recordDownloadFailure(localID: r.localID, index: result.index, message: e.description, expired: e.isExpired)
        }
    }

    static func provenance(_ r: TaskRecord) -> JSONValue {
        let body: JSONValue = {
            if case let .success(v) = RequestValidator.validate(r.request) { return RequestEncoder.jsonObject(v) }
            return .null
        }()
        func time(_ d: Date?) -> JSONValue { d.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null }
        return .object([
            ("task_id", r.taskID.map { .string($0) } ?? .null), ("local_id", .int(Int(r.localID))),
            ("model", .string(r.request.model)), ("prompt", .string(r.request.prompt)), ("parameters", body),
            ("profile", .string(r.profile)), ("base_url", .string(r.baseURL)),
            ("created_at", time(r.createdAt)), ("submitted_at", time(r.submittedAt)), ("finished_at", time(r.finishedAt)),
        ])
    }

    private func emit(_ localID: Int64) {
        if let r = try? store.record(localID: localID) { emitRecord(r) }
    }

    private func emitRecord(_ r: TaskRecord) { eventSink.yield(.changed(r)) }
}
