import Clocks
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// The Studio end to end: real simulator over loopback, real SQLite, real
/// files; simulated time (the simulator's wall clock and the poller's test
/// clock) moved together by hand.
@Suite("Studio against the simulator", .timeLimit(.minutes(2)))
struct StudioTests {
    struct Rig {
        let sim: SimulatorServer
        let time: ManualTime
        let clock: TestClock<Duration>
        let folder: TempFolder
        let store: HistoryStore
        let studio: Studio<TestClock<Duration>>

        func advance(_ d: Duration) async {
            time.advance(by: d)
            await clock.advance(by: d)
        }

        /// Moves both clocks just past the poller's next wake and returns once
        /// the queries due then were sent and answered: a step with no sleep.
        /// False when the poller has nothing scheduled.
        ///
        /// Just past, by 1 ms: `TestClock` suspends a sleep until an instant
        /// equal to its `now`, so a timer that starts sleeping after a step to
        /// exactly its instant would wait for the next step (a hang, seen once
        /// in 15 runs). Past it, such a sleep returns at once.
        @discardableResult
        func stepToNextQuery() async -> Bool {
            guard let wake = await studio.pollerIdle() else { return false }
            if clock.now <= wake { await advance(clock.now.duration(to: wake) + .milliseconds(1)) }
            _ = await studio.pollerIdle()
            return true
        }
    }

    /// - Parameters:
    ///   - transport: wraps the real transport (to act at a given moment of an exchange).
    ///   - busyTimeout: how long the history waits for another process's lock.
    func rig(apiKey: String = "sk-studio-test-01", busyTimeout: TimeInterval = 10,
             _ configure: (inout SimulatorConfig) -> Void = { _ in },
             transport: (any HTTPTransport) -> any HTTPTransport = { $0 },
             fetcher: (any HTTPTransport)? = nil) async throws -> Rig {
        var config = SimulatorConfig()
        configure(&config)
        let time = ManualTime()
        let sim = try await SimulatorServer.start(config: config, now: { time.now() })
        let clock = TestClock()
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath, busyTimeout: busyTimeout)
        let client = DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey(apiKey)!, transport: transport(CurlTransport(proxy: .none)),
                                    sleep: { time.advance(by: $0) })
        let studio = Studio(store: store, profile: "test", client: client, clock: clock,
                            downloader: ResultDownloader(resultsDirectory: folder.url.appendingPathComponent("results"),
                                                         transport: fetcher ?? CurlTransport(proxy: .none), sleep: { time.advance(by: $0) }))
        try await studio.start()
        return Rig(sim: sim, time: time, clock: clock, folder: folder, store: store, studio: studio)
    }

    /// Moves time a second at a time until every given task is settled. While
    /// downloads run (real bytes over loopback), time stands still, so links do
    /// not expire under them.
    func settle(_ r: Rig, _ ids: [Int64], limit: Int = 300) async throws {
        var steps = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while steps < limit, ContinuousClock.now < deadline {
            var all = true
            for id in ids where try await !r.studio.isSettled(localID: id) { all = false }
            if all { return }
            if await r.studio.downloadsInFlight > 0 {
                await r.studio.downloadsSettled()
                continue
            }
            await r.advance(.seconds(1))
            for _ in 0..<20 { await Task.yield() }
            steps += 1
        }
        Issue.record("tasks did not settle")
    }

    @Test("submits, watches to the end, keeps the timeline and saves the pictures")
    func endToEnd() async throws {
        let r = try await rig()
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        let ok = try await r.studio.submit(ImageRequest(model: "gpt-image-2", prompt: "a glass sphere", size: "1536x864", n: 2))
        let bad = try await r.studio.submit(ImageRequest(model: "NanoBanana2-1K", prompt: "[fail] nope", aspectRatio: "1:1"))
        #expect(ok.state == .queued && ok.taskID != nil)
        try await settle(r, [ok.localID, bad.localID])
        let done = try #require(try await r.store.record(localID: ok.localID))
        #expect(done.state == .succeeded)
        #expect(done.events.first?.state == .intent)
        #expect(done.events.contains { $0.state == .processing })
        #expect(done.results.count == 2)
        #expect(done.results.allSatisfy { $0.state == .saved && $0.file?.format == .png && $0.file?.width == 384 })
        for res in done.results {
            let path = try #require(res.file?.path)
            #expect(path.hasSuffix("/results/\(done.localID)-\(done.taskID!)/\(res.index).png"))
            #expect(FileManager.default.fileExists(atPath: path))
        }
        let failed = try #require(try await r.store.record(localID: bad.localID))
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("content policy") == true)
        #expect(await r.studio.watchedIDs().isEmpty)
    }

    @Test("refuses an invalid request without writing or sending anything")
    func invalid() async throws {
        let r = try await rig()
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        await #expect(throws: StudioError.self) { try await r.studio.submit(ImageRequest(model: "gpt-image-2", prompt: "x")) }
        #expect(try await r.store.count() == 0)
        #expect(await r.sim.core.submitCount == 0)
    }

    @Test("records a refused submit as refused, and a dropped one as submission unknown")
    func submitFailures() async throws {
        let r = try await rig { $0.deniedModels = ["NanoBananaPro-8K"] }
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        do {
            _ = try await r.studio.submit(ImageRequest(model: "NanoBananaPro-8K", prompt: "x"))
            Issue.record("expected a refusal")
        } catch let StudioError.submitFailed(record, _) {
            #expect(record?.state == .submitFailed)
        }
        let d = try await rig { $0.faults.drop = 1 }
        defer { Task { await d.sim.stop(); await d.studio.shutdown() } }
        do {
            _ = try await d.studio.submit(ImageRequest(model: "NanoBanana", prompt: "x"))
            Issue.record("expected the drop")
        } catch let StudioError.submitFailed(record, _) {
            #expect(record?.state == .submitUnknown)
        }
        #expect(await d.sim.core.submitCount == 1)
    }

    @Test("picks unfinished tasks up again after a restart")
    func resumes() async throws {
        let r = try await rig()
        let t = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "resume me"))
        await r.studio.shutdown()
        // A new Studio on the same store, as after quitting and starting again.
        let client = DarkroomClient(baseURL: r.sim.baseURL, apiKey: APIKey("sk-studio-test-01")!, sleep: { r.time.advance(by: $0) })
        let again = Studio(store: r.store, profile: "test", client: client, clock: r.clock,
                           downloader: ResultDownloader(resultsDirectory: r.folder.url.appendingPathComponent("results")))
        let (_, resumed, _) = try await again.start()
        #expect(resumed.map(\.localID) == [t.localID])
        let r2 = Rig(sim: r.sim, time: r.time, clock: r.clock, folder: r.folder, store: r.store, studio: again)
        try await settle(r2, [t.localID])
        let after = try await r.store.record(localID: t.localID)
        #expect(after?.results.first?.state == .saved, "\(String(describing: after?.results.first))")
        await again.shutdown()
        await r.sim.stop()
    }

    @Test("watches a task by id that history did not know")
    func adopt() async throws {
        let r = try await rig()
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        let client = DarkroomClient(baseURL: r.sim.baseURL, apiKey: APIKey("sk-studio-test-01")!)
        let outside = try await client.submit(try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "elsewhere")).get())
        let records = try await r.studio.watch(taskIDs: [outside.id])
        try await settle(r, records.map(\.localID))
        #expect(try await r.store.record(taskID: outside.id, endpoint: Endpoint(r.sim.baseURL.absoluteString))?.state == .succeeded)
    }
}
