import DarkroomCore
import DarkroomSimulator
import Foundation
import Synchronization
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// Holds each task's downloads until all `perTask` of them have begun, then lets
/// them finish together: the moment several records of one task race back to
/// the Studio.
final class TogetherFetcher: DownloadOnlyTransport {
    let perTask: Int
    let bytes: [UInt8]
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    init(perTask: Int, bytes: [UInt8]) {
        self.perTask = perTask
        self.bytes = bytes
    }

    func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int {
        // The simulator's result URLs are .../files/<task id>/<index>.<ext>.
        let task = url.deletingLastPathComponent().lastPathComponent
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let all = waiting.withLock { w -> [CheckedContinuation<Void, Never>] in
                w[task, default: []].append(c)
                return w[task]!.count == perTask ? w.removeValue(forKey: task)! : []
            }
            for waiter in all { waiter.resume() }
        }
        try sink.write(bytes)
        return 200
    }
}

/// What `events` says of a task is enough to follow it to its end, as
/// `darkroom watch` does: each record is judged with `isSettled(_:)` when it
/// arrives, and the last one shows where the task ended. Here the 8 downloads
/// of each task end together, so their records race back to the Studio.
///
/// The race itself (an older record arriving last) depends on thread timing
/// and was seen only in release builds (`darkroom watch` on 60 tasks); the
/// rule that stops it is tested on its own in `RecordOrderTests`.
extension StudioTests {
    @Test("a task whose pictures finish together is seen settled from its events, and its last record shows them all saved")
    func eventsFollowATaskToItsEnd() async throws {
        let pictures = 8
        let fetcher = TogetherFetcher(perTask: pictures, bytes: ScenePainter.png(prompt: "x", variant: 0, aspect: 1))
        let r = try await rig(fetcher: fetcher)
        defer { Task { await r.sim.stop() } }
        let studio = r.studio
        let seen = Mutex<(last: [Int64: TaskRecord], settled: Set<Int64>)>(([:], []))
        let events = studio.events
        let reader = Task {
            for await event in events {
                guard case let .changed(record) = event else { continue }
                let settled = await studio.isSettled(record)
                seen.withLock { s in
                    s.last[record.localID] = record
                    if settled { s.settled.insert(record.localID) }
                }
            }
        }
        var ids: [Int64] = []
        for i in 0..<6 {
            ids.append(try await studio.submit(ImageRequest(model: "NanoBanana", prompt: "eight views \(i)", n: pictures)).localID)
        }
        try await settle(r, ids)
        // Every emission was made on the Studio's actor before it could call the
        // tasks settled; shutting down ends the stream after them.
        await studio.shutdown()
        await reader.value
        let (last, settled) = seen.withLock { $0 }
        for id in ids {
            let final = try #require(last[id], "no record of #\(id) was emitted")
            #expect(final.state == .succeeded)
            #expect(final.results.map(\.state) == Array(repeating: .saved, count: pictures), "the last word on #\(id)")
            #expect(settled.contains(id), "#\(id) was never seen settled from its events")
        }
    }
}
