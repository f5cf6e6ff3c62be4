import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// What a new user found trying the first fixes: each failed before its fix.
@Suite("Found by trying it as a new user")
struct TrialFindingsTests {
    static func runTask(_ id: Int64, _ state: TaskState, run: Int64) -> TaskRecord {
        var t = Records.make(id, state, prompt: "fox \(id)")
        t.runID = run
        if state.isUnsent || state == .intent { t.taskID = nil }
        return t
    }

    var statusLine: (Driver) -> String { { d in d.screen.split(separator: "\n").dropLast().last.map(String.init) ?? "" } }

    @Test("the question of X stays on the status bar while it is open, whatever notices arrive; it is logged once")
    func questionStaysVisible() {
        let d = Driver(width: 200, height: 40)
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3), Self.runTask(8, .processing, run: 3)], replace: true))
        d.state.focus = .tasks
        d.state.selectedID = 9
        let logged = d.state.log.count
        d.press(.char("X"))
        d.send(.runHeld(run: 3, unsent: 6))
        var done = Self.runTask(8, .succeeded, run: 3)
        done.taskID = "task_8"
        d.send(.taskChanged(done))
        #expect(statusLine(d).contains("Cancel the 6 requests of run #3"), "\(statusLine(d))")
        #expect(d.state.log.filter { $0.text.contains("Cancel") }.count == 1, "\(d.state.log.suffix(3).map(\.text))")
        #expect(d.state.log.count == logged + 2, "the question and the done notice")
    }

    @Test("X on a run with nothing left to send asks nothing: the hold is let go and it says so")
    func nothingToCancel() {
        let d = Driver()
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3)], replace: true))
        d.state.focus = .tasks
        d.press(.char("X"))
        d.send(.runHeld(run: 3, unsent: 0))
        #expect(d.state.overlay == nil)
        #expect(d.effects.last == .unsent(run: 3, .release))
        #expect(d.state.message == "Run #3 has no request waiting to be sent: nothing to cancel")
    }

    @Test("a run's requests count in the session's units once each is sent, not before")
    func runsCountInTheSession() {
        let d = Driver()
        d.send(.taskChanged(Self.runTask(11, .waiting, run: 4)))
        d.send(.taskChanged(Self.runTask(11, .intent, run: 4)))
        #expect(d.state.sessionUnits == 0)
        var sent = Self.runTask(11, .queued, run: 4)
        sent.taskID = "task_11"
        d.send(.taskChanged(sent))
        d.send(.taskChanged(sent))
        #expect(d.state.sessionUnits == 1, "counted once")
        // A task of history that was sent before this session is not this session's.
        var old = Self.runTask(2, .succeeded, run: 1)
        old.taskID = "task_2"
        d.send(.taskChanged(old))
        #expect(d.state.sessionUnits == 1)
    }

    @Test("requests being sent are counted as sending, apart from those to send; no second 'sending' counter")
    func sendingCounter() {
        let d = Driver(width: 200, height: 40)
        d.send(.tasksLoaded([Self.runTask(9, .waiting, run: 3), Self.runTask(8, .intent, run: 3), Self.runTask(7, .intent, run: 3)], replace: true))
        d.state.submitting = 1
        let bar = statusLine(d)
        #expect(bar.contains("· 1 to send") && bar.contains("… 2 sending"), "\(bar)")
        #expect(!bar.contains("sending 1"), "\(bar)")
    }

    @Test("a hint is shown only where its key acts: no view, download, open, copy URL or watch on a failed task; no watch on a done one")
    func hintsWhereTheyAct() {
        let d = Driver(width: 200, height: 40)
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.state.focus = .detail
        d.state.selectedID = 3   // failed, no result
        let hints = HintBar.items(d.state).map(\.label)
        for gone in ["v view", "d download", "o open", "y copy URL", "w watch"] { #expect(!hints.contains(gone), "\(gone) in \(hints)") }
        #expect(hints.contains("r re-run") && hints.contains("e edit"))
        d.state.selectedID = 4   // succeeded, pictures saved
        let done = HintBar.items(d.state).map(\.label)
        #expect(done.contains("v view") && done.contains("o open") && done.contains("y copy URL") && !done.contains("w watch"), "\(done)")
        d.state.selectedID = 5   // running
        #expect(HintBar.items(d.state).map(\.label).contains("w watch"))
    }

    @Test("the wording of a finished task that w cannot watch")
    func watchWording() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.state.focus = .tasks
        d.state.selectedID = 4
        d.press(.char("w"))
        #expect(d.state.message == "#4 has nothing to watch: it has ended (done)", "\(d.state.message ?? "")")
    }
}
