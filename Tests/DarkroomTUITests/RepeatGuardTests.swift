import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// One repeat guard for every path to a submit: the same request again within
/// `AppState.resendWindow` is asked about, whether it comes from Ctrl-S, `r`,
/// `e` or `m` then Ctrl-S, or a click on a hint.
@Suite("The repeat guard on every path to a submit")
struct RepeatGuardTests {
    /// The sample tasks in the list, `selected` selected, the clock set.
    func driver(selected: Int64? = nil) -> Driver {
        let d = Driver()
        d.send(.clock(Driver.now))
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.state.focus = .tasks
        if let selected { d.state.selectedID = selected }
        return d
    }

    /// How many submits the keys asked for.
    func submits(_ d: Driver) -> Int { d.effects.filter { if case .submit = $0 { true } else { false } }.count }

    @Test("r r sends the request once and asks before the second; y sends it again")
    func rerunTwice() {
        let d = driver()
        d.press(.char("r"), .char("r"))
        #expect(submits(d) == 1)
        #expect(d.state.overlay?.confirmation != nil)
        #expect(d.state.message?.contains("sent seconds ago") == true, "\(d.state.message ?? "")")
        d.press(.char("y"))
        #expect(submits(d) == 2)
    }

    @Test("r, then e and Ctrl-S on the same task, asks before the second")
    func rerunThenEdit() {
        let d = driver(selected: 5)
        d.press(.char("r"), .char("e"), .ctrl("s"))
        #expect(submits(d) == 1, "\(d.effects)")
        #expect(d.state.overlay?.confirmation != nil)
    }

    @Test("m then Ctrl-S, twice, asks before the second")
    func mapTwice() {
        let d = driver(selected: 4)
        d.press(.char("m"), .ctrl("s"), .f(3), .char("m"), .ctrl("s"))
        #expect(submits(d) == 1, "\(d.effects)")
        #expect(d.state.overlay?.confirmation != nil)
    }

    @Test("a click on the hint bar's r is the same key: the second asks")
    func rerunByClick() {
        let d = driver()
        guard let r = HintBar.items(d.state).first(where: { $0.binding.keys.contains(.char("r")) }) else {
            Issue.record("no r in the hint bar")
            return
        }
        d.send(.mouse(.click, x: r.x.lowerBound, y: d.state.height - 1))
        d.send(.mouse(.click, x: r.x.lowerBound, y: d.state.height - 1))
        #expect(submits(d) == 1)
        #expect(d.state.overlay?.confirmation != nil)
    }
}
