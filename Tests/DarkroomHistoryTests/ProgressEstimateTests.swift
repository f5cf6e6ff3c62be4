import DarkroomCore
import Foundation
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

@Suite("Progress estimates")
struct ProgressEstimateTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func running(_ samples: [(Double, Int)], model: String = "NanoBanana2-1K", size: String? = nil) -> TaskRecord {
        let req = ImageRequest(model: model, prompt: "p", size: size, aspectRatio: size == nil ? "1:1" : nil)
        return TaskRecord(localID: 1, taskID: "t", profile: "p", baseURL: "http://x", request: req, state: .processing, rawStatus: nil,
                          progress: samples.last?.1, error: nil, resultURLs: [], createdAt: t0, submittedAt: t0, startedAt: t0,
                          finishedAt: nil, updatedAt: t0, results: [],
                          events: samples.map { TaskEvent(state: .processing, progress: $0.1, at: t0.addingTimeInterval($0.0)) })
    }

    @Test("from the rate: 0% to 50% in 10 s leaves 10 s, counting down until the next report")
    func rate() {
        let t = running([(0, 0), (10, 50)])
        #expect(ProgressEstimate.remainingFromRate(t, now: t0.addingTimeInterval(10)) == 10)
        #expect(ProgressEstimate.remainingFromRate(t, now: t0.addingTimeInterval(14)) == 6)
        #expect(ProgressEstimate.remainingFromRate(t, now: t0.addingTimeInterval(60)) == 1, "stalled: about 1 s, never below")
    }

    @Test("no estimate before progress moves, at 100%, or for an ended task")
    func none() {
        #expect(ProgressEstimate.remainingFromRate(running([(0, 0)]), now: t0) == nil)
        #expect(ProgressEstimate.remainingFromRate(running([(0, 20), (5, 20)]), now: t0) == nil)
        #expect(ProgressEstimate.remainingFromRate(running([(0, 0), (5, 100)]), now: t0) == nil)
        var done = running([(0, 0), (5, 50)])
        done.state = .succeeded
        #expect(ProgressEstimate.remainingFromRate(done, now: t0) == nil)
    }

    @Test("from history: the median of at least three past tasks of the same kind, less the time already spent")
    func typical() {
        let d = ProgressEstimate.typicalDurations([("a", 10), ("a", 30), ("a", 20), ("b", 5), ("b", 7), ("a", 100)])
        #expect(d == ["a": 25])
        let t = running([(0, 0)], model: "a")
        #expect(ProgressEstimate.remainingFromTypical(t, typical: ["a": 25], now: t0.addingTimeInterval(5)) == 20)
        #expect(ProgressEstimate.remainingFromTypical(t, typical: ["a": 25], now: t0.addingTimeInterval(30)) == nil, "outlived: no guess")
    }

    @Test("gpt-image-2 durations are kept apart by the tier of the size")
    func kinds() {
        #expect(ProgressEstimate.kind(model: "gpt-image-2", size: "3840x2160") == "gpt-image-2 4K")
        #expect(ProgressEstimate.kind(model: "gpt-image-2", size: "1024x1024") == "gpt-image-2 1K")
        #expect(ProgressEstimate.kind(model: "NanoBananaPro-2K", size: nil) == "NanoBananaPro-2K")
    }

    @Test("the store gives typical durations from its succeeded tasks")
    func fromStore() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await HistorySeeder.seed(s, count: 200, endpoint: "http://x")
        let d = try await s.typicalDurations()
        #expect(!d.isEmpty)
        #expect(d.values.allSatisfy { $0 >= 5 && $0 <= 45 }, "seeded runs take 5 to 44 s")
    }
}
