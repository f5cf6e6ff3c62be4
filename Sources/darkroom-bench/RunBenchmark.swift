import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomSimulator
import DarkroomTUI
import Foundation
import Synchronization

/// A run of 100 requests against the simulator: how long until all are sent
/// (bounded by the submit limit, since each submit takes the server a while),
/// the most POSTs in flight at once as the transport saw them, and the TUI's
/// frame time with the comparison grid of those 100 tasks open.
enum RunBenchmark {
    /// Counts submits in flight at the transport, under the client.
    final class CountingTransport: HTTPTransport {
        let inner: any HTTPTransport
        let state = Mutex((now: 0, peak: 0, posts: 0))
        init(_ inner: any HTTPTransport) { self.inner = inner }
        func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
            guard request.method == "POST" else { return try await inner.send(request) }
            state.withLock { $0.now += 1; $0.posts += 1; $0.peak = max($0.peak, $0.now) }
            defer { state.withLock { $0.now -= 1 } }
            return try await inner.send(request)
        }
    }

    static func run(folder: URL, requests count: Int) async throws {
        let delay = 50
        for limit in [2, 4] {
            var config = SimulatorConfig()
            // Every answer takes the server 50 ms: the limit, not the loopback, bounds the run.
            config.faults.slow = 1
            config.faults.slowDelay = .milliseconds(delay)
            let sim = try await SimulatorServer.start(config: config)
            let store = try HistoryStore(path: folder.appendingPathComponent("run-\(limit).sqlite").path)
            let transport = CountingTransport(CurlTransport())
            let client = DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey(sim.apiKey)!, transport: transport)
            let studio = Studio(store: store, profile: "bench", client: client, clock: ContinuousClock(), downloader: nil,
                                maxConcurrentSubmits: limit)
            try await studio.start()
            let requests = (0..<count).map { ImageRequest(model: "NanoBanana", prompt: "a red fox, variant \($0)") }
            var ids: [Int64] = []
            let record = try await ms {
                let run = try await store.createRun(expression: "bench", axes: [("prompt", requests.map(\.prompt))], size: count)
                ids = try await studio.queue(requests, run: run)
            }
            var outcomes: [RunOutcome] = []
            let send = await ms { outcomes = await studio.send(waiting: ids) }
            let sent = outcomes.filter { if case .sent = $0 { true } else { false } }.count
            let seen = transport.state.withLock { $0 }
            let floor = Double((count + limit - 1) / limit * delay)
            report("run of \(count), limit \(limit): record all before sending", record, unit: "ms", target: "< 200 ms")
            report("run of \(count), limit \(limit): send all, \(delay) ms a submit (\(sent) sent)", send, unit: "ms",
                   target: "≈ \(Int(floor)) ms, the limit's floor")
            report("run of \(count), limit \(limit): peak POSTs in flight (\(seen.posts) in all)", Double(seen.peak), unit: "",
                   target: "≤ \(limit)")
            await studio.shutdown()
            await sim.stop()
        }
        try frame(count: count)
    }

    /// The comparison grid of a 10 × 10 run (10 prompts × the 10 models), 200x60, one task's progress changing per frame.
    static func frame(count: Int) throws {
        let models = Catalog.models.map(\.id)
        var tasks: [TaskRecord] = []
        var id: Int64 = 1
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        for p in 0..<10 {
            for m in models.prefix(max(1, count / 10)) {
                let model = Catalog.model(m)!
                let request = ImageRequest(model: m, prompt: "a red fox, variant \(p)", size: model.takesSize ? "1024x1024" : nil,
                                           aspectRatio: model.takesSize ? nil : "1:1", quality: model.takesSize ? "medium" : nil)
                var t = TaskRecord(localID: id, taskID: "task_\(id)", profile: "bench", baseURL: "http://bench.invalid", request: request,
                                   state: id % 3 == 0 ? .processing : .succeeded, rawStatus: nil, progress: 50, error: nil, resultURLs: [],
                                   createdAt: created, submittedAt: created, startedAt: created,
                                   finishedAt: id % 3 == 0 ? nil : created.addingTimeInterval(14), updatedAt: created, results: [], events: [])
                t.runID = 1
                tasks.append(t)
                id += 1
            }
        }
        var state = AppState(width: 200, height: 60, connectionLabel: "bench")
        _ = update(&state, .tasksLoaded(tasks.reversed(), replace: true))
        state.comparison = Comparison(runID: 1)
        _ = update(&state, .runLoaded(1, tasks))
        var changed = tasks[3]
        changed.state = .processing
        let frames = TUIBenchmark.frameTimes(&state, changing: changed)
        report("comparison grid frame: \(tasks.count) cells, 200x60 (median of 200)", median(frames), unit: "ms", target: "< 2 ms")

        // The composer holding a run of 200 (the most one submit may make), its list shown:
        // the plan is made when the composer changes; a frame lays out its 200 lines.
        var composing = AppState(width: 200, height: 60, connectionLabel: "bench")
        _ = update(&composing, .paste("a {red|blue|green|white|black} fox in {fog|snow|rain|sun|wind}, {oil|ink|film|pixel} style"))
        composing.composer.choices.qualities = ["low", "high"]
        composing.composer.refreshValidation()
        composing.showJSON = true
        var composeFrames: [Double] = []
        for _ in 0..<50 { composeFrames.append(ms { _ = AppView.render(composing, now: Date()) }) }
        report("composer frame with a run of \(composing.composer.requestCount) listed, 200x60 (median of 50)", median(composeFrames), unit: "ms", target: "< 16 ms")
    }
}
