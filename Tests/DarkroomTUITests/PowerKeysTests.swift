import DarkroomCore
import Testing
@testable import DarkroomTUI

@Suite("Power keys")
struct PowerKeysTests {
    @Test("m loads the task mapped to the other family into the composer and says what was mapped")
    func otherFamily() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .down)   // #5: gpt-image-2 1536x1024
        d.press(.char("m"))
        #expect(d.state.focus == .compose)
        #expect(d.state.composer.request.model == "NanoBanana2-1K")
        #expect(d.state.composer.request.aspectRatio == "3:2")
        #expect(d.state.composer.request.size == nil)
        #expect(d.state.message == "Mapped: 1536x1024 (3:2, 1K) on gpt-image-2 → 3:2 on NanoBanana2-1K. Ctrl-S sends it")
        #expect(d.state.composer.problems(includingEmptyPrompt: true).isEmpty, "the mapped request is valid as it stands")
        // And back again.
        d.press(.f(3), .down)   // #4: NanoBanana2-1K 16:9
        d.press(.char("m"))
        #expect(d.state.composer.request.model == "gpt-image-2")
        #expect(d.state.composer.request.size == "1536x864")
    }
}

@Suite("Prompt history")
struct PromptHistoryTests {
    func driver() -> Driver {
        let d = Driver()
        d.send(.promptsLoaded(["a red fox in snow", "a lighthouse at dusk\nsecond line", "一只猫 on a roof"]))
        return d
    }

    // Found by a user trying the demo: typing over a recalled prompt, then Down, put the
    // old draft back and the new text was gone.
    @Test("a recalled prompt the user edits is kept: Down leaves it in place as the draft, Up and Down come back to it")
    func editsOfARecalledPromptAreKept() {
        let d = driver()
        d.type("hello world")
        d.press(.up)
        #expect(d.state.composer.editor.text == "a red fox in snow")
        d.press(.ctrl("u"))
        d.type("my new text")
        d.press(.down)
        #expect(d.state.composer.editor.text == "my new text", "the edit stays on screen")
        d.press(.up)
        #expect(d.state.composer.editor.text == "a red fox in snow")
        d.press(.down)
        #expect(d.state.composer.editor.text == "my new text", "and is what Down comes back to")
    }

    @Test("Up on the first line recalls older prompts; Down walks back to the unsent draft")
    func upDown() {
        let d = driver()
        d.type("my draft")
        d.press(.up)
        #expect(d.state.composer.editor.text == "a red fox in snow")
        d.press(.up)
        #expect(d.state.composer.editor.text == "a lighthouse at dusk\nsecond line")
        // The cursor is at the end of a two-line prompt: Up moves inside it first.
        d.press(.up)
        #expect(d.state.composer.editor.text == "a lighthouse at dusk\nsecond line")
        d.press(.up)
        #expect(d.state.composer.editor.text == "一只猫 on a roof")
        d.press(.up)
        #expect(d.state.composer.editor.text == "一只猫 on a roof", "the oldest stays")
        // Down lands at the end of each prompt, so a two-line one takes one Down too.
        d.press(.down, .down)
        #expect(d.state.composer.editor.text == "a red fox in snow")
        d.press(.down)
        #expect(d.state.composer.editor.text == "my draft")
        #expect(d.state.composer.field == .prompt)
        d.press(.down)
        #expect(d.state.composer.field != .prompt, "past the draft, Down moves to the next field as before")
    }

    @Test("a submitted prompt becomes the newest to recall")
    func submitted() {
        let d = driver()
        d.type("a new one").press(.ctrl("s"))
        #expect(d.state.promptHistory.first == "a new one")
        d.press(.ctrl("u"), .up)
        #expect(d.state.composer.editor.text == "a new one")
        // History loaded later is merged under the prompts already known.
        d.send(.promptsLoaded(["older", "a new one"]))
        #expect(d.state.promptHistory == ["a new one", "a red fox in snow", "a lighthouse at dusk\nsecond line", "一只猫 on a roof", "older"])
    }

    @Test("Ctrl-R filters at once, asks history, and Enter puts the chosen prompt in the editor")
    func search() {
        let d = driver()
        d.type("draft")
        d.effects = []
        d.press(.ctrl("r"))
        #expect(d.state.overlay?.promptSearch?.matches.count == 3)
        d.type("roof")
        #expect(d.state.overlay?.promptSearch?.matches == ["一只猫 on a roof"])
        #expect(d.effects.last == .searchPrompts("roof"))
        #expect(d.screen.contains("search: roof"))
        // History knows more; an answer for an older query is ignored.
        d.send(.promptsFound(query: "roo", ["stale"]))
        d.send(.promptsFound(query: "roof", ["a tin roof at night", "一只猫 on a roof"]))
        #expect(d.state.overlay?.promptSearch?.matches == ["a tin roof at night", "一只猫 on a roof"])
        d.press(.ctrl("r"))
        d.press(.enter)
        #expect(d.state.overlay?.promptSearch == nil)
        #expect(d.state.composer.editor.text == "一只猫 on a roof")
    }

    @Test("Esc leaves the search and the prompt as it was")
    func cancel() {
        let d = driver()
        d.type("keep me").press(.ctrl("r")).type("fox").press(.escape)
        #expect(d.state.overlay?.promptSearch == nil)
        #expect(d.state.composer.editor.text == "keep me")
    }
}

@Suite("Progress with an estimate")
struct EstimateViewTests {
    @Test("the detail of a running task shows elapsed, time left at its rate and the typical duration of its kind")
    func detail() {
        let d = Driver()
        let now = Driver.now
        var t = Records.make(9, .processing, prompt: "a fox", progress: 50)
        t.submittedAt = now.addingTimeInterval(-20)
        t.events = [TaskEvent(state: .queued, progress: 0, at: now.addingTimeInterval(-20)),
                    TaskEvent(state: .processing, progress: 50, at: now)]
        d.send(.typicalDurations(["NanoBanana2-1K": 42]))
        d.send(.tasksLoaded([t], replace: true))
        #expect(d.screen.contains("Progress 20s elapsed · about 20s left at its rate"))
        #expect(d.screen.contains("typically 42s for NanoBanana2-1K in history"))
        #expect(d.screen.contains("~20s"), "the list LEFT column")
    }
}

@Suite("Cost before submitting")
struct CostTests {
    @Test("without a price table the composer shows billable units, and the status bar adds them up")
    func units() {
        let d = Driver()
        #expect(d.screen.contains("Cost      1 image × 1K = 1 billable unit"))
        d.type("a fox").press(.ctrl("s"))
        // The server accepted a NanoBananaPro-4K task: one image of 4K.
        d.send(.submitted(Records.make(1, .queued, prompt: "a fox", model: "NanoBananaPro-4K")))
        #expect(d.screen.contains("4 units this session"))
    }

    @Test("with a price table the composer shows the estimate times n, and the status bar a running total")
    func prices() throws {
        let d = Driver()
        d.state.prices = Prices(table: PriceTable(currency: "$", models: ["NanoBanana2-1K": 0.04], gptImage2: ["1024x1024": 0.05]))
        d.press(.tab, .tab, .tab, .tab, .tab, .right)   // Images: 2
        #expect(d.state.composer.n == 2)
        #expect(d.screen.contains("Cost      ≈ $0.10 (2 × $0.050)"))
        d.send(.submitted(Records.make(1, .queued, prompt: "a fox")))
        d.send(.submitted(Records.make(2, .queued, prompt: "a fox")))
        #expect(d.screen.contains("≈ $0.080 this session"))
        // A model the table does not price: the total falls back to units.
        d.send(.submitted(Records.make(3, .queued, prompt: "a fox", model: "NanoBananaPro-1K")))
        #expect(d.screen.contains("3 units this session"))
    }
}

@Suite("The mouse")
struct MouseTests {
    @Test("a click focuses a pane and selects the task under it; a double click opens its detail")
    func click() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        #expect(d.state.focus == .compose)
        // Wide layout: the task list starts at column 46; row 0 border, row 1 header, row 2 the first task.
        d.send(.mouse(.click, x: 60, y: 4))
        #expect(d.state.focus == .tasks)
        #expect(d.state.selectedID == Records.sample[2].localID)
        d.send(.mouse(.doubleClick, x: 60, y: 3))
        #expect(d.state.selectedID == Records.sample[1].localID)
        #expect(d.state.focus == .detail)
        d.send(.mouse(.click, x: 5, y: 5))
        #expect(d.state.focus == .compose)
        // Below the last task: focus only.
        d.send(.mouse(.click, x: 60, y: 15))
        #expect(d.state.selectedID == Records.sample[1].localID)
    }

    @Test("the wheel moves through the list three at a time, and scrolls help")
    func wheel() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.send(.mouse(.wheelDown, x: 60, y: 5))
        #expect(d.state.selectedID == Records.sample[3].localID)
        d.send(.mouse(.wheelUp, x: 60, y: 5))
        #expect(d.state.selectedID == Records.sample[0].localID)
        let small = Driver(width: 80, height: 24)
        small.press(.f(1))
        small.send(.mouse(.wheelDown, x: 10, y: 10))
        #expect(small.state.overlay == .help(scroll: 1))
    }

    @Test("on narrow terminals a click on a tab switches to it")
    func tabs() {
        let d = Driver(width: 80, height: 24)
        d.send(.mouse(.click, x: 12, y: 0))
        #expect(d.state.focus == .tasks)
        d.send(.mouse(.click, x: 21, y: 0))
        #expect(d.state.focus == .detail)
        d.send(.mouse(.click, x: 2, y: 0))
        #expect(d.state.focus == .compose)
    }
}

@Suite("Switching profiles")
struct ProfileTests {
    @Test("with one profile P says how to add more")
    func one() {
        let d = Driver()
        d.press(.f(3), .char("P"))
        #expect(d.state.overlay?.profileIndex == nil)
        #expect(d.state.message?.contains("[profiles.NAME]") == true)
    }

    @Test("P lists the profiles; Enter asks to switch; the switch shows that profile's tasks only")
    func switching() {
        let d = Driver()
        d.state.profiles = ["demo", "work"]
        d.state.profile = "demo"
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .char("P"))
        #expect(d.state.overlay?.profileIndex == 0)
        #expect(d.screen.contains("▸ demo  (current)"))
        d.effects = []
        d.press(.down, .enter)
        #expect(d.effects == [.switchProfile("work")])
        d.effects = []
        d.send(.profileSwitched(name: "work", connectionLabel: "work https://api.example · sk-…abcd"))
        #expect(d.state.tasks.isEmpty && d.state.selectedID == nil)
        #expect(d.effects == [.loadTasks(.listed(HistoryQuery(profile: "work", limit: 200)))])
        #expect(d.screen.contains("work https://api.example · sk-…abcd"))
        // A change of the other profile's task does not come into this list.
        d.send(.taskChanged(Records.make(7, .processing, prompt: "from demo", progress: 10)))
        #expect(d.state.tasks.isEmpty)
        var mine = Records.make(8, .processing, prompt: "from work", progress: 10)
        mine.profile = "work"
        d.send(.taskChanged(mine))
        #expect(d.state.tasks.map(\.localID) == [8])
    }
}
