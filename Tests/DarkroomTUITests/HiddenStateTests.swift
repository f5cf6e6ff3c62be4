import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// No state the screen hides: a task whose pictures were not saved is not
/// "done", a server that stops answering is said, the counters count what they
/// name, and a field that applies to any model of a run stays in the composer.
@Suite("No state the screen hides")
struct HiddenStateTests {
    /// A succeeded task with two results: the first saved, the second as given.
    static func twoResults(_ id: Int64, second: ResultState, error: String? = "the picture is over the 20 MiB limit") -> TaskRecord {
        var t = Records.make(id, .succeeded, prompt: "a heron at dawn", progress: 100, results: 2)
        t.results[1].state = second
        t.results[1].file = nil
        t.results[1].error = second == .saved || second == .pending ? nil : error
        return t
    }

    // MARK: done, but not saved

    @Test("a task whose pictures were not saved has its own mark, word, counter and notice, in the log too")
    func notSavedEverywhere() {
        let d = Driver()
        d.send(.tasksLoaded([Records.make(1, .processing, prompt: "a heron at dawn", progress: 50)], replace: true))
        d.state.focus = .compose
        // The server says done; the pictures are still downloading.
        d.send(.taskChanged(Self.twoResults(1, second: .pending)))
        #expect(d.state.message?.contains("#1 done") == true)
        // One of them fails for good.
        d.send(.taskChanged(Self.twoResults(1, second: .failed)))
        #expect(d.state.message == "#1 done, 1 of 2 pictures not saved: d retries (the picture is over the 20 MiB limit)", "\(d.state.message ?? "")")
        #expect(d.state.messageIsError)
        #expect(d.state.log.last?.text == d.state.message && d.state.log.last?.task == 1)
        let row = d.screen.split(separator: "\n").first { $0.contains("heron") && $0.contains("100%") }.map(String.init) ?? ""
        #expect(row.contains("! not saved"), "\(row)")
        #expect(!row.contains("done"))
        #expect(d.screen.contains("! 1 not saved"), "the status bar counts it apart")
        #expect(d.screen.contains("✓ 0 done"))
        // Seen again (another change of the same task), it is not said twice.
        let logged = d.state.log.count
        d.send(.taskChanged(Self.twoResults(1, second: .failed)))
        #expect(d.state.log.count == logged)
    }

    @Test("all saved after the downloads: nothing more is said; a task loaded from history is not news")
    func savedIsQuiet() {
        let d = Driver()
        d.send(.tasksLoaded([Records.make(1, .processing, prompt: "x", progress: 50), Self.twoResults(2, second: .expired)], replace: true))
        d.send(.taskChanged(Self.twoResults(1, second: .pending)))
        let logged = d.state.log.count
        d.send(.taskChanged(Self.twoResults(1, second: .saved)))
        #expect(d.state.log.count == logged)
        #expect(!d.state.log.contains { $0.text.contains("#2") }, "history's old tasks are not announced")
    }

    @Test("the gallery and the comparison grid say a task's pictures were not all saved")
    func notSavedInGalleryAndGrid() {
        let d = Driver()
        var t = Self.twoResults(3, second: .expired, error: "the link has expired (404)")
        t.runID = 4
        var other = Records.make(2, .succeeded, prompt: "a crane", results: 1)
        other.runID = 4
        other.request.model = "gpt-image-2"
        d.send(.tasksLoaded([t, other], replace: true))
        d.state.focus = .tasks
        d.state.selectedID = 3
        d.press(.char("g"))
        #expect(d.screen.contains("#3 [0] !"), "\(d.screen)")
        d.press(.escape, .char("c"))
        d.send(.runLoaded(4, [t, other]))
        #expect(d.screen.contains("done, 1 not saved"), "\(d.screen)")
    }

    // MARK: the counters

    @Test("the status bar counts to send, paused and cancelled as what they are; a cancel is said once per run")
    func counters() {
        let d = Driver(width: 160, height: 40)
        func task(_ id: Int64, _ s: TaskState) -> TaskRecord {
            var t = Records.make(id, s, prompt: "fox \(id)")
            t.runID = 3
            return t
        }
        d.send(.tasksLoaded([task(7, .waiting), task(6, .waiting), task(5, .paused), task(4, .queued), task(3, .processing), task(2, .failed)],
                            replace: true))
        let bar = d.screen.split(separator: "\n").dropLast().last.map(String.init) ?? ""
        #expect(bar.contains("· 2 to send") && bar.contains("‖ 1 paused") && bar.contains("○ 1 queued") && bar.contains("✗ 1 failed"), "\(bar)")
        let logged = d.state.log.count
        var c7 = task(7, .cancelled), c6 = task(6, .cancelled), c5 = task(5, .cancelled)
        c7.error = "cancelled by the user; nothing was sent"
        c6.error = c7.error
        c5.error = c7.error
        for t in [c7, c6, c5] { d.send(.taskChanged(t)) }
        #expect(d.state.log.count == logged, "no notice per cancelled request: \(d.state.log.suffix(3).map(\.text))")
        let after = d.screen.split(separator: "\n").dropLast().last.map(String.init) ?? ""
        #expect(after.contains("– 3 cancelled") && after.contains("✗ 1 failed"), "\(after)")
    }

    // MARK: a server that stops answering

    @Test("a status query that timed out is said on the task and in the log, and the detail says how long")
    func silentServer() {
        let d = Driver()
        d.send(.clock(Driver.now))
        d.send(.tasksLoaded([Records.make(6, .queued, prompt: "a koi pond", progress: 10)], replace: true))
        d.send(.pollTrouble(taskID: "task_6", message: "no answer from the server in time", silent: true))
        #expect(d.state.log.last?.text == "#6: the server has not answered for 1 min; still asking", "\(d.state.log.last?.text ?? "")")
        d.send(.clock(Driver.now.addingTimeInterval(60)))
        d.press(.f(4))
        #expect(d.screen.contains("the server has not answered for 2 min; still asking"), "\(d.screen)")
        let row = d.screen.split(separator: "\n").first { $0.contains("a koi pond") }.map(String.init) ?? ""
        #expect(row.contains("no answer"), "\(row)")
        d.send(.pollRecovered(taskID: "task_6"))
        #expect(!d.screen.contains("has not answered"))
        #expect(d.state.log.last?.text == "#6: the server answers again")
    }

    // MARK: a field for any model of the set stays visible

    @Test("Quality high, then NanoBanana added with Space: Quality and Size stay in the composer, marked for gpt-image-2")
    func qualityStaysVisible() {
        let d = Driver(width: 160, height: 50)
        d.type("a fox")
        RunComposerTests().choose(d, .quality, "high", toggle: false)
        RunComposerTests().choose(d, .model, "NanoBanana")
        d.press(.escape)
        #expect(d.state.composer.requestCount == 2)
        let screen = d.screen
        #expect(screen.contains("Quality   high") && screen.contains("Size      1024x1024"), "\(screen)")
        #expect(screen.contains("gpt-image-2 only"), "\(screen)")
        #expect(d.state.composer.fields.contains(.quality) && d.state.composer.fields.contains(.ratio))
        // It can still be changed.
        d.state.composer.field = .quality
        d.press(.left)
        #expect(d.state.composer.quality == .medium)
    }

    @Test("NanoBanana first, gpt-image-2 added with Space: Size and Quality show, as Aspect does for NanoBanana; Ctrl-T agrees")
    func fieldsOfEveryModel() {
        let d = Driver(width: 160, height: 50)
        d.type("a fox")
        RunComposerTests().choose(d, .model, "NanoBanana", toggle: false)
        RunComposerTests().choose(d, .model, "gpt-image-2")
        d.press(.escape)
        let fields = d.state.composer.fields
        #expect(fields.contains(.size) && fields.contains(.quality) && fields.contains(.ratio), "\(fields)")
        let screen = d.screen
        #expect(screen.contains("Quality") && screen.contains("Size") && screen.contains("Aspect"), "\(screen)")
        #expect(screen.contains("gpt-image-2 only"), "\(screen)")
        d.press(.ctrl("t"))
        #expect(d.screen.contains("gpt-image-2 1024x1024 medium"), "the list of requests shows what the field holds")
    }
}

extension HiddenStateTests {
    @Test("the run's request list on a 40-row terminal shows what fits and how many more, never a blank pane")
    func requestListFits() {
        let d = Driver(width: 120, height: 40)
        d.type("fox {" + (1...40).map { "n\($0)" }.joined(separator: "|") + "}")
        d.press(.ctrl("t"))
        let screen = d.screen
        #expect(!screen.contains("no room for it here"), "\(screen)")
        #expect(screen.contains("✓  1 gpt-image-2 1024x1024 medium: fox n1"), "\(screen)")
        #expect(screen.contains("more rows: PgDn PgUp scroll"), "\(screen)")
        // The composer's rows are all used: no run of empty rows under the list.
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.prefix(48)) }
        let empty = rows.filter { $0.trimmingCharacters(in: CharacterSet(charactersIn: "┃│ ")).isEmpty }.count
        #expect(empty <= 2, "\(empty) empty rows in the composer:\n\(screen)")
    }
}

extension HiddenStateTests {
    @Test("the run's request list cut on a short terminal scrolls with PgDn and PgUp, saying where it is")
    func requestListScrolls() {
        let d = Driver(width: 120, height: 40)
        d.type("fox {" + (1...40).map { "n\($0)" }.joined(separator: "|") + "}")
        d.press(.ctrl("t"))
        #expect(!d.screen.contains("fox n40"))
        d.press(.pageDown, .pageDown, .pageDown)
        #expect(d.screen.contains("fox n40"), "the end is reached: \(d.screen)")
        #expect(d.screen.contains("of 40: PgDn PgUp scroll"))
        d.press(.pageUp, .pageUp, .pageUp, .pageUp)
        #expect(d.screen.contains("fox n1") && d.screen.contains("more rows"))
    }
}
