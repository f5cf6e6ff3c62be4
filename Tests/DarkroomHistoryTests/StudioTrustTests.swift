import Clocks
import DarkroomCore
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Synchronization
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// Runs `after` once a POST has been answered, before the answer reaches the
/// client: the moment between "the server created the task" and "darkroom wrote its id".
struct AfterSubmitTransport: HTTPTransport {
    let inner: any HTTPTransport
    let after: @Sendable () -> Void

    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let response = try await inner.send(request)
        if request.method == "POST" { after() }
        return response
    }
}

final class Box<T: Sendable>: Sendable {
    let value: Mutex<T?>
    init() { value = Mutex(nil) }
    func set(_ v: T) { value.withLock { $0 = v } }
    func get() -> T? { value.withLock { $0 } }
}

extension StudioTests {
    /// A rig whose history another process locks the moment the server has answered a submit.
    func rigLockedAfterSubmit() async throws -> (Rig, Box<LockHolder>) {
        let holder = Box<LockHolder>()
        let path = Box<String>()
        let r = try await rig(busyTimeout: 0.2, transport: { inner in
            AfterSubmitTransport(inner: inner) { if let p = path.get() { holder.set(try! LockHolder(path: p)) } }
        })
        path.set(r.store.path)
        return (r, holder)
    }

    @Test("a task id the history cannot take goes to the journal and the error, and into the history at the next start")
    func idSurvivesALockedHistory() async throws {
        let (r, holder) = try await rigLockedAfterSubmit()
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        do {
            _ = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "paid for, then the history locked"))
            Issue.record("the submit should report the id it could not record")
        } catch {
            guard case let .recordFailed(taskID, localID, journal, reason) = error else { Issue.record("got \(error)"); return }
            #expect(!taskID.isEmpty)
            #expect(journal == r.store.journal.path)
            #expect(reason.contains("locked"))
            #expect(r.store.journal.entries().map(\.taskID) == [taskID])
            let message = StudioError.recordFailed(taskID: taskID, localID: localID, journal: journal, reason: reason).description
            #expect(message.contains(taskID) && message.contains("darkroom watch \(taskID)"))
            holder.get()?.release()
            // The next Studio on this history records it before anything else.
            let again = Studio(store: r.store, profile: "test", client: DarkroomClient(baseURL: r.sim.baseURL, apiKey: APIKey("sk-studio-test-01")!),
                               clock: r.clock, downloader: nil)
            let (_, resumed, _) = try await again.start()
            await again.shutdown()
            #expect(resumed.map(\.taskID) == [taskID])
            #expect(try await r.store.record(localID: localID)?.taskID == taskID)
            #expect(r.store.journal.entries().isEmpty)
        }
        #expect(await r.sim.core.submitCount == 1)
    }

    @Test("when even the journal cannot be written, the id is in the error the user sees")
    func idInTheErrorAtLeast() async throws {
        let (r, holder) = try await rigLockedAfterSubmit()
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        // A folder where the journal file should be: appending to it fails.
        try FileManager.default.createDirectory(atPath: r.store.journal.path, withIntermediateDirectories: true)
        do {
            _ = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "nowhere to write"))
            Issue.record("expected recordFailed")
        } catch {
            guard case let .recordFailed(taskID, localID, journal, reason) = error else { Issue.record("got \(error)"); return }
            #expect(journal == nil)
            let text = StudioError.recordFailed(taskID: taskID, localID: localID, journal: journal, reason: reason).description
            #expect(text.contains("server created task \(taskID)") && text.contains("kept nowhere else"))
        }
        holder.get()?.release()
    }

    @Test("when the intent cannot be written (the history locked past its timeout), nothing is sent")
    func noIntentNoSubmit() async throws {
        let r = try await rig(busyTimeout: 0.2)
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        let lock = try LockHolder(path: r.store.path)
        do {
            _ = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "not sent"))
            Issue.record("a submit went out with no intent written")
        } catch {
            guard case let .storage(m) = error else { Issue.record("got \(error)"); return }
            #expect(m.contains("locked"))
        }
        lock.release()
        #expect(await r.sim.core.submitCount == 0)
    }

    @Test("a failed download again keeps the saved file, its state and checksum, and says so beside it")
    func redownloadNeverWorse() async throws {
        let r = try await rig()
        defer { Task { await r.studio.shutdown() } }
        let t = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "keep me"))
        try await settle(r, [t.localID])
        let saved = try #require(try await r.store.record(localID: t.localID)?.results.first)
        #expect(saved.state == .saved)
        let path = try #require(saved.file?.path)
        // The links expire (here: the server is gone), as they do after a few hours.
        let gone = try await r.sim.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        let report = try await r.studio.downloadNow(localID: t.localID, force: true)
        #expect(report.saved.isEmpty)
        #expect(report.failed.count == 1 && report.failed[0].keptSavedCopy)
        #expect(report.summary.hasPrefix("#\(t.localID) re-download failed, saved copy kept: "))
        let after = try #require(try await r.store.record(localID: t.localID)?.results.first)
        #expect(after.state == .saved)
        #expect(after.file == saved.file)
        #expect(after.error?.hasPrefix("re-download failed: ") == true && after.error?.hasSuffix("the saved copy is kept") == true)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: path))) == saved.file?.sha256)
    }

    @Test("stopping watching is kept: the task is not polled, even after a restart, until it is watched again")
    func unwatchSticks() async throws {
        let r = try await rig { $0.queueSeconds = 30...30 }
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        let t = try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "not now"))
        let id = try #require(t.taskID)
        #expect(await r.studio.watchedIDs() == [id])
        let off = try #require(try await r.studio.setWatching(localID: t.localID, false))
        #expect(off.unwatchedAt != nil && !off.isWatched)
        #expect(await r.studio.watchedIDs().isEmpty)
        let queries = await r.sim.core.queryCount
        await r.advance(.seconds(20))
        #expect(await r.sim.core.queryCount == queries)
        // A restart does not pick it up again.
        let again = Studio(store: r.store, profile: "test", client: DarkroomClient(baseURL: r.sim.baseURL, apiKey: APIKey("sk-studio-test-01")!),
                           clock: r.clock, downloader: nil)
        let (_, resumed, _) = try await again.start()
        #expect(resumed.isEmpty)
        await again.shutdown()
        // Watching it again polls it again.
        let on = try #require(try await r.studio.setWatching(localID: t.localID, true))
        #expect(on.unwatchedAt == nil)
        #expect(await r.studio.watchedIDs() == [id])
        try await settle(r, [t.localID])
        #expect(try await r.store.record(localID: t.localID)?.state == .succeeded)
    }

    @Test("F5 after a refused key resumes with the key read afresh")
    func resumeWithNewKey() async throws {
        let r = try await rig(apiKey: "sk-old-key-000000001") { $0.apiKey = "sk-studio-test-01" }
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        await #expect(throws: StudioError.self) { try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "x")) }
        // Polling a task submitted elsewhere with the right key: refused with the old one.
        let good = DarkroomClient(baseURL: r.sim.baseURL, apiKey: APIKey("sk-studio-test-01")!)
        let outside = try await good.submit(try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "y")).get())
        let records = try await r.studio.watch(taskIDs: [outside.id])
        // Its first query, over real loopback HTTP, is refused: the poller pauses and says so.
        #expect(await r.stepToNextQuery())
        var refused = false
        for await e in r.studio.events { if case .authFailed = e { refused = true; break } }
        #expect(refused)
        await r.studio.resumePolling(apiKey: APIKey("sk-studio-test-01")!)
        try await settle(r, records.map(\.localID))
        #expect(try await r.store.record(localID: records[0].localID)?.state == .succeeded)
        // Submits use the new key too.
        #expect(try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "z")).taskID != nil)
    }

    @Test("a history locked by another process for a while slows its writes, never the polling")
    func lockedHistoryKeepsPolling() async throws {
        let r = try await rig { $0.runSeconds = 60...60 }
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        var ids: [Int64] = []
        for i in 0..<4 { ids.append(try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "task \(i)")).localID) }
        let lock = try LockHolder(path: r.store.path)
        let before = await r.sim.core.queryCount
        // The poller keeps asking while every history write waits on the lock:
        // each step of the clock to its next wake brings the queries due then.
        for _ in 0..<10 { #expect(await r.stepToNextQuery()) }
        let during = await r.sim.core.queryCount - before
        lock.release()
        #expect(during >= 10, "only \(during) queries while the history was locked")
        try await settle(r, ids)
        for id in ids { #expect(try await r.store.record(localID: id)?.state == .succeeded) }
    }

    @Test("part files left by killed downloads go when the result is next saved, and old ones at start")
    func partFiles() async throws {
        let folder = TempFolder()
        let dir = folder.url.appendingPathComponent("results/1-task_x")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for i in 0..<15 { FileManager.default.createFile(atPath: dir.appendingPathComponent(".0.\(UUID().uuidString)-\(i).part").path, contents: Data([1, 2])) }
        FileManager.default.createFile(atPath: dir.appendingPathComponent(".1.keep.part").path, contents: Data([1]))
        let png = ScenePainter.png(prompt: "x", variant: 0, aspect: 1)
        let d = ResultDownloader(resultsDirectory: folder.url.appendingPathComponent("results"), transport: CannedFetcher(bytes: png))
        _ = try await d.download(url: "https://x.example/0.png", taskID: "task_x", localID: 1, index: 0, provenance: [:]).get()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == [".1.keep.part", "0.json", "0.png"])
        // At start: part files older than an hour go, newer ones (a download elsewhere) stay.
        let old = dir.appendingPathComponent(".1.keep.part")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: old.path)
        FileManager.default.createFile(atPath: dir.appendingPathComponent(".2.fresh.part").path, contents: Data([1]))
        #expect(PartFiles.sweep(folder.url.appendingPathComponent("results"), olderThan: Date().addingTimeInterval(-3600)) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".2.fresh.part", "0.json", "0.png"])
    }
}
