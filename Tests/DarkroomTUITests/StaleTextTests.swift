import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// Text that outlived what it said (issue 11).
@Suite("No stale text")
struct StaleTextTests {
    @Test("'Changed: aspect … from the size' goes when switching back changes nothing else")
    func changedNoticeGoes() {
        let d = Driver()
        d.press(.tab, .left)   // gpt-image-2 → NanoBananaPro: the size's shape becomes a ratio
        #expect(d.state.message?.hasPrefix("Changed: aspect 1:1 from the size") == true)
        d.press(.right)        // back to gpt-image-2: nothing else changes
        #expect(d.state.composer.family == .gptImage2)
        #expect(d.state.message == nil, "still says: \(d.state.message ?? "")")
        #expect(d.state.log.contains { $0.text.hasPrefix("Changed: aspect 1:1") }, "the log keeps what was said")
    }

    @Test("a 'submit?' row, and one not watched, show no time left")
    func noEstimateWithoutPolling() {
        let d = Driver()
        var tasks = Records.sample
        var unwatched = Records.make(7, .processing, prompt: "not watched", model: "gpt-image-2", progress: 40, size: "1024x1024")
        unwatched.unwatchedAt = Date(timeIntervalSince1970: 1_800_000_080)
        tasks.insert(unwatched, at: 0)
        d.send(.tasksLoaded(tasks, replace: true))
        d.send(.typicalDurations(["gpt-image-2 1K": 9_999, "gpt-image-2 2K": 9_999, "NanoBanana2-1K": 9_999]))
        let rows = d.screen.split(separator: "\n").map(String.init)
        let submitUnknown = rows.first { $0.contains("killed mid") } ?? ""
        #expect(submitUnknown.contains("submit?") && !submitUnknown.contains("~"), "\(submitUnknown)")
        let notWatched = rows.first { $0.contains("not watched") } ?? ""
        #expect(!notWatched.contains("~"), "\(notWatched)")
        let queued = rows.first { $0.contains("a koi") } ?? ""
        #expect(queued.contains("~"), "a polled task keeps its estimate: \(queued)")
    }

    @Test("AGE keeps counting from creation when a task finishes, never back to 0s")
    func ageAfterTheEnd() {
        let d = Driver()
        var t = Records.make(9, .processing, prompt: "a finishing task", progress: 90)
        d.send(.tasksLoaded([t], replace: true))
        func ageCell() -> String {
            let row = d.screen.split(separator: "\n").first { $0.contains("a finishing") }.map(String.init) ?? ""
            return row.split(separator: " ").first { $0.hasSuffix("m") || $0.hasSuffix("s") && Int($0.dropLast()) != nil }.map(String.init) ?? row
        }
        let before = ageCell()
        t.state = .succeeded
        t.finishedAt = Driver.now
        d.send(.taskChanged(t))
        #expect(ageCell() == before, "AGE was \(before), now \(ageCell())")
        #expect(before != "0s")
    }
}
