import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// f, T and x driven in memory: what the screen shows at once, what the shell
/// is asked to keep, the filters, and the tag line's completion and refusals.
@Suite("Stars, tags and hidden tasks in the TUI")
struct CurationKeyTests {
    func driver(width: Int = 120, height: Int = 40) -> Driver {
        let d = Driver(width: width, height: height)
        d.answersFiles = false
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.send(.tagsLoaded(["night", "film", "nightscape"]))
        d.state.focus = .tasks
        return d
    }

    func select(_ d: Driver, _ id: Int64) {
        d.press(.home)
        while d.state.selected?.localID != id { d.press(.down) }
    }

    func lastQuery(_ d: Driver) -> HistoryQuery? {
        d.effects.compactMap { e -> HistoryQuery? in if case let .loadTasks(q) = e { return q } else { return nil } }.last
    }

    var curations: (Driver) -> [Curation] {
        { d in d.effects.compactMap { if case let .curate(_, c) = $0 { return c } else { return nil } } }
    }

    @Test("f stars the selected task (★ in the list and the detail) and asks the shell to keep it; f again takes it off")
    func starTask() {
        let d = driver()
        select(d, 4)
        d.press(.char("f"))
        #expect(d.state.selected?.starredAt != nil)
        #expect(d.effects.last == .curate(localID: 4, .star(picture: nil, true)))
        #expect(d.screen.contains("★ 一只猫"))
        #expect(d.state.message == "Starred #4")
        d.press(.enter)
        #expect(d.screen.contains("Starred  ★ the task"))
        d.press(.char("f"))
        #expect(d.effects.last == .curate(localID: 4, .star(picture: nil, false)))
        #expect(!d.screen.contains("★"))
    }

    @Test("f in the gallery, the full-screen preview and the grid stars the picture shown, not the task")
    func starPicture() {
        let d = driver()
        d.press(.char("g"))
        d.press(.right)
        let item = GalleryKeys.selectedItem(d.state)
        #expect(item?.task.localID == 4 && item?.result.index == 1)
        d.press(.char("f"))
        #expect(d.effects.last == .curate(localID: 4, .star(picture: 1, true)))
        #expect(d.screen.contains("★ #4 [1]"))
        #expect(!d.screen.contains("★ #4 [0]"))
        d.press(.escape)
        d.state.overlay = .fullPreview(FullPreview(localID: 4, index: 0))
        d.press(.char("f"))
        #expect(curations(d).last == .star(picture: 0, true))
        #expect(d.state.tasks.first { $0.localID == 4 }?.starredPictures == [0, 1])
        // f in the list on a task starred by its pictures takes every star off.
        d.state.overlay = nil
        d.state.focus = .tasks
        select(d, 4)
        d.press(.char("f"))
        #expect(curations(d).last == .star(picture: nil, false))
        #expect(d.state.selected?.isStarred == false)
    }

    @Test("x hides the task: the row stays, marked, so x again shows it; the next load leaves it out; the hidden filter lists it and x shows it again")
    func hide() {
        let d = driver()
        select(d, 4)
        d.press(.char("x"))
        #expect(d.effects.last == .curate(localID: 4, .hide(true)))
        #expect(d.state.selected?.localID == 4 && d.state.selected?.isHidden == true, "the selection stays on it")
        #expect(d.screen.contains("(hidden) 一"))
        #expect(d.state.message?.hasPrefix("Hid #4") == true)
        d.press(.char("g"))
        #expect(d.screen.contains("(hidden) #4"), "the gallery marks it too")
        d.press(.escape)
        d.press(.char("x"))
        #expect(d.effects.last == .curate(localID: 4, .hide(false)), "x twice is no change")
        #expect(d.state.selected?.isHidden == false && !d.screen.contains("(hidden)"))
        d.press(.char("x"))
        // A new task from elsewhere that is hidden does not come into the list.
        var later = Records.make(8, .succeeded, prompt: "hidden elsewhere")
        later.hiddenAt = Driver.now
        d.send(.taskChanged(later))
        #expect(!d.state.tasks.contains { $0.localID == 8 })
        // s: all → running → succeeded → failed → starred → hidden.
        for _ in 0..<5 { d.press(.char("s")) }
        #expect(d.state.statusFilter == .hidden)
        let q = lastQuery(d)
        #expect(q?.hidden == .hidden)
        var hidden4 = Records.sample.first { $0.localID == 4 }!
        hidden4.hiddenAt = Driver.now
        d.send(.tasksLoaded([hidden4], replace: true))
        #expect(d.screen.contains("[hidden]") && !d.screen.contains("(hidden)"))
        d.press(.char("x"))
        #expect(d.effects.last == .curate(localID: 4, .hide(false)))
        #expect(d.state.message == "#4 shown again")
        d.press(.char("s"))
        #expect(d.state.statusFilter == .all)
        #expect(lastQuery(d)?.hidden == .shown)
    }

    @Test("s pressed quickly: an answer for a filter the list no longer shows is dropped, whatever order the answers come in")
    func answersOutOfOrder() {
        let d = driver()
        var queries: [HistoryQuery] = []
        for _ in 0..<5 {
            d.press(.char("s"))
            queries.append(lastQuery(d)!)
        }
        #expect(d.state.statusFilter == .hidden)
        var hidden = Records.sample.first { $0.localID == 4 }!
        hidden.hiddenAt = Driver.now
        // The hidden filter's answer first, then the older ones (all tasks, the starred).
        d.send(.tasksLoaded([hidden], replace: true, query: queries[4]))
        d.send(.tasksLoaded(Records.sample, replace: true, query: queries[0]))
        d.send(.tasksLoaded([Records.sample[0]], replace: true, query: queries[3]))
        #expect(d.state.tasks.map(\.localID) == [4], "the list holds what its title says: the hidden")
    }

    @Test("the starred filter asks the history for starred tasks; the gallery then shows only the starred pictures")
    func starredFilter() {
        let d = driver()
        select(d, 4)
        d.press(.char("g"))
        d.press(.right, .char("f"), .char("s"), .char("s"), .char("s"), .char("s"))
        #expect(d.state.statusFilter == .starred)
        #expect(lastQuery(d)?.starred == true)
        d.send(.tasksLoaded(d.state.tasks.filter(\.isStarred), replace: true))
        #expect(GalleryPlanner.items(d.state).map { "\($0.task.localID):\($0.result.index)" } == ["4:1"])
    }

    @Test("T opens the tag line; Tab completes from the history's tags; a tag with a space is refused and the line stays; Enter saves the set")
    func tags() {
        let d = driver()
        select(d, 4)
        d.press(.char("T"))
        #expect(d.state.overlay?.tagEditor?.localID == 4)
        #expect(d.effects.last == .loadTags, "tags added meanwhile elsewhere are asked for")
        #expect(d.screen.contains("Tags of #4"))
        d.type("ni")
        d.press(.tab)
        #expect(d.state.overlay?.tagEditor?.editor.text == "night")
        #expect(d.state.overlay?.tagEditor?.candidates == ["night", "nightscape"])
        #expect(d.screen.contains("Tab: night nightscape"))
        d.type("s")
        d.press(.tab)
        #expect(d.state.overlay?.tagEditor?.editor.text == "nightscape, ")
        d.type("old film")
        d.press(.enter)
        #expect(d.state.overlay?.tagEditor != nil, "refused: the line stays open")
        #expect(d.state.message?.contains("A tag is one word: “old film” has a space") == true)
        #expect(d.screen.contains("(write old-film, or give several tags). Separate tags with commas."), "the whole reason, in the box")
        for _ in 0..<5 { d.press(.backspace) }
        d.type("-Film, Nightscape")
        d.press(.enter)
        #expect(d.state.overlay == nil)
        let saved = curations(d).last
        #expect(saved == .tags(["nightscape", "old-film"].map { try! TaskTag.parse($0).get() }))
        #expect(d.screen.contains("#nightscape #old-film"))
        #expect(d.state.knownTags.contains("old-film"))
        d.press(.enter)
        #expect(d.screen.contains("Tags     #nightscape #old-film  T"))
        // T again starts from the task's tags; Esc leaves them.
        d.press(.char("T"))
        #expect(d.state.overlay?.tagEditor?.editor.text == "nightscape, old-film, ")
        d.press(.escape)
        #expect(d.state.overlay == nil)
    }

    @Test("the search box takes #tag, * and words; a task changed while the list is filtered follows the same rule")
    func search() {
        let d = driver()
        var tagged = Records.sample.first { $0.localID == 1 }!
        tagged.tags = [try! TaskTag.parse("crane").get()]
        d.send(.taskChanged(tagged))
        d.press(.char("/"))
        d.type("#crane paper")
        d.press(.enter)
        let q = lastQuery(d)
        #expect(q?.text == "#crane paper" && q?.hidden == .shown)
        d.send(.tasksLoaded([tagged], replace: true))
        var other = Records.make(9, .succeeded, prompt: "a paper boat")
        d.send(.taskChanged(other))
        #expect(!d.state.tasks.contains { $0.localID == 9 }, "no #crane tag")
        other.tags = tagged.tags
        d.send(.taskChanged(other))
        #expect(d.state.tasks.contains { $0.localID == 9 })
    }

    @Test("C copies the request as curl (x hides now); the help lists f, T and x")
    func keys() {
        let d = driver()
        select(d, 4)
        d.press(.char("C"))
        #expect(d.effects.contains { if case .copy = $0 { return true } else { return false } })
        d.press(.char("?"))
        let help = (0..<12).map { _ -> String in let s = d.screen; d.press(.pageDown); return s }.joined()
        #expect(help.contains("star the task") && help.contains("edit the task's tags") && help.contains("hide the task"))
    }

    @Test("snapshots: starred and tagged rows, the detail, the tag line (80x24 and 120x40)")
    func snapshots() {
        for (w, h) in [(80, 24), (120, 40)] {
            let d = driver(width: w, height: h)
            select(d, 4)
            d.press(.char("f"))
            d.press(.char("T"))
            d.type("night, film")
            d.press(.enter)
            select(d, 1)
            d.press(.char("T"))
            d.type("crane, paper")
            d.press(.enter)
            select(d, 4)
            d.press(.enter)
            assertSnapshot(d.screen, named: "curation-detail-\(w)x\(h)")
            d.press(.char("T"))
            d.type("ni")
            d.press(.tab)
            assertSnapshot(d.screen, named: "curation-tag-line-\(w)x\(h)")
        }
    }
}
