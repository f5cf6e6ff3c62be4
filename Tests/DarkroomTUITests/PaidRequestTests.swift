import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// No paid request the user did not mean: every path to a submit goes through
/// the same repeat guard, a question about a run holds it while it is open,
/// and the keys named by a hint act on what the hint names.
@Suite("No paid request the user did not mean")
struct PaidRequestTests {
    static func runTask(_ id: Int64, _ state: TaskState, run: Int64, prompt: String = "fox") -> TaskRecord {
        var t = Records.make(id, state, prompt: prompt)
        t.runID = run
        if state.isUnsent { t.taskID = nil }
        return t
    }

    // MARK: X holds the run while it asks

    @Test("X holds the run at once; n lets it go on; y cancels what is still unsent")
    func cancelQuestionHoldsTheRun() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3), Self.runTask(8, .queued, run: 3)], replace: true))
        d.state.focus = .tasks
        d.press(.char("X"))
        #expect(d.effects == [.unsent(run: 3, .hold)], "held before the answer, not after")
        #expect(d.state.overlay?.confirmation == .cancelUnsent(run: 3, count: nil))
        #expect(d.state.message?.contains("held") == true, "\(d.state.message ?? "")")
        // The Studio says how many it holds: the question counts those, not the list's rows.
        d.send(.runHeld(run: 3, unsent: 190))
        #expect(d.state.overlay?.confirmation == .cancelUnsent(run: 3, count: 190))
        #expect(d.state.message?.contains("190 requests") == true, "\(d.state.message ?? "")")
        d.press(.char("n"))
        #expect(d.effects == [.unsent(run: 3, .hold), .unsent(run: 3, .release)])
        #expect(d.state.message?.contains("Nothing cancelled") == true)

        d.press(.char("X"))
        d.press(.char("y"))
        #expect(d.effects.suffix(2) == [.unsent(run: 3, .hold), .unsent(run: 3, .cancel)])
    }

    @Test("a count for a question no longer open changes nothing")
    func lateHoldCount() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3)], replace: true))
        d.state.focus = .tasks
        d.press(.char("X"), .escape)
        d.send(.runHeld(run: 3, unsent: 12))
        #expect(d.state.overlay == nil)
    }

    @Test("Ctrl-C while X asks lets the run go (paused by the Studio's shutdown) and quits")
    func interruptReleases() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3)], replace: true))
        d.state.focus = .tasks
        d.press(.char("X"), .ctrl("c"))
        #expect(d.effects.contains(.unsent(run: 3, .release)) && d.effects.last == .quit)
    }

    // MARK: p, X and c after Ctrl-S act on the run just sent

    @Test("after Ctrl-S sends a run, p, X and c address that run, not the task selected before")
    func keysAfterSendingARun() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(5, .paused, run: 1), Self.runTask(4, .succeeded, run: 1)], replace: true))
        d.state.selectedID = 4
        d.type("a {red|blue} fox").press(.ctrl("s"))
        guard case .sendRun? = d.effects.last else { Issue.record("no run sent: \(d.effects)"); return }
        // The Studio recorded run #2; its tasks arrive before or after the news.
        d.send(.taskChanged(Self.runTask(11, .waiting, run: 2, prompt: "a blue fox")))
        d.send(.runQueued(run: 2, first: 10, count: 2, limit: 1))
        #expect(d.state.message?.contains("Run #2") == true && d.state.message?.contains("in the list (F3) p pauses run #2") == true, "\(d.state.message ?? "")")
        d.send(.taskChanged(Self.runTask(10, .waiting, run: 2, prompt: "a red fox")))
        #expect(d.state.selectedID == 10, "the run's first request is selected")
        d.press(.f(3), .char("p"))
        #expect(d.effects.last == .unsent(run: 2, .pauseOrResume))
        d.press(.char("X"))
        #expect(d.effects.last == .unsent(run: 2, .hold))
        d.press(.char("n"))
        d.press(.char("c"))
        #expect(d.effects.last == .loadRun(2))
    }

    @Test("with a status filter that hides the new run, p still acts on it until the selection moves")
    func runJustSentWhenHidden() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(4, .succeeded, run: 1), Self.runTask(3, .succeeded, run: 1)], replace: true))
        d.state.selectedID = 4
        d.state.statusFilter = .succeeded
        d.state.focus = .tasks
        d.send(.runQueued(run: 2, first: 10, count: 40, limit: 1))
        d.press(.char("p"))
        #expect(d.effects.last == .unsent(run: 2, .pauseOrResume))
        d.press(.down, .up)
        d.press(.char("p"))
        #expect(d.state.message?.contains("run #1") == true || d.state.message?.contains("Run #1") == true, "\(d.state.message ?? "")")
    }

    @Test("r in the comparison grid re-runs the whole run, asked like a run")
    func rerunARun() {
        let d = Driver()
        d.send(.clock(Driver.now))
        let tasks = (1...6).map { Self.runTask(Int64($0), .succeeded, run: 7, prompt: "fox \($0)") }
        d.send(.tasksLoaded(tasks, replace: true))
        d.state.focus = .tasks
        d.press(.char("c"))
        d.send(.runLoaded(7, tasks))
        d.press(.char("r"))
        #expect(!d.effects.contains { if case .sendRun = $0 { true } else { false } }, "asked first")
        #expect(d.state.message?.contains("Send 6 requests") == true, "\(d.state.message ?? "")")
        d.press(.char("y"))
        guard case let .sendRun(plan)? = d.effects.last else { Issue.record("\(d.effects)"); return }
        #expect(plan.requests == tasks.map(\.request))
    }
}
