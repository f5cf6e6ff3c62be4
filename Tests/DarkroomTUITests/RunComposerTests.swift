import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// Composing a run in the TUI: Space in the lists adds values, the composer
/// shows how many requests and lists them, each checked by the core, and
/// Ctrl-S asks once over four.
@Suite("Composing a run")
struct RunComposerTests {
    /// Opens a field's list and moves to `value`, from the composer.
    func choose(_ d: Driver, _ field: ComposerField, _ value: String, toggle: Bool = true) {
        d.state.focus = .compose
        d.state.composer.field = field
        d.press(.enter)
        guard let p = d.state.overlay?.picker, let target = p.options.firstIndex(where: { $0.value == value }) else {
            Issue.record("no \(value) in the \(field) list")
            return
        }
        let steps = target - p.index
        for _ in 0..<abs(steps) { d.press(steps > 0 ? .down : .up) }
        d.press(toggle ? .char(" ") : .enter)
    }

    @Test("Space adds values to a field's set (starting from the value it holds) and takes them out; a set of one is the field's value")
    func spaceToggles() {
        let d = Driver()
        d.type("a fox")
        choose(d, .size, "1536x1024")
        #expect(d.state.overlay?.picker != nil, "the list stays open to take more")
        #expect(d.state.composer.choices.sizes == ["1024x1024", "1536x1024"])
        #expect(d.state.composer.requestCount == 2)
        #expect(d.state.message?.contains("2 requests: Ctrl-S sends them as a run") == true)
        #expect(d.screen.contains("✓ 1024x1024") && d.screen.contains("✓ 1536x1024"))
        d.press(.char(" "))
        #expect(d.state.composer.choices.sizes.isEmpty && d.state.composer.size == "1024x1024", "one left: the field's value")
        d.press(.escape)
        choose(d, .quality, "high")
        d.press(.escape)
        #expect(d.state.composer.choices.qualities == ["medium", "high"])
        #expect(d.state.composer.requestCount == 2)
        #expect(d.screen.contains("⌫ one value"), "the hint says how to go back")
        d.press(.backspace)
        #expect(d.state.composer.choices.isEmpty && !d.state.composer.isRun)
    }

    @Test("a model of the other family gets the nearest legal value by the family mapping, and the list says so")
    func otherFamilyMapped() {
        let d = Driver(width: 200, height: 60)
        d.type("a {red|blue} fox")
        choose(d, .size, "1536x1024", toggle: false)
        choose(d, .model, "NanoBanana")
        #expect(d.state.message == "4 requests: Ctrl-S sends them as a run (Ctrl-T lists them); NanoBanana takes no size: 1536x1024 sent as 3:2")
        d.press(.escape)
        #expect(d.state.composer.choices.models == ["gpt-image-2", "NanoBanana"])
        guard case let .success(plan)? = d.state.composer.plan else {
            Issue.record("no plan")
            return
        }
        #expect(plan.requests.count == 4)
        #expect(plan.requests.filter { $0.model == "NanoBanana" }.allSatisfy { $0.aspectRatio == "3:2" && $0.size == nil })
        #expect(plan.notes == ["NanoBanana takes no size: 1536x1024 sent as 3:2"])
        d.press(.ctrl("t"))
        let screen = d.screen
        #expect(screen.contains("Run       4 requests (2 prompts × 2 models), 4 billable units"))
        #expect(screen.contains("Requests of the run (Ctrl-T hides):"))
        #expect(screen.contains("✓ 1 gpt-image-2 1536x1024 medium: a red fox"))
        #expect(screen.contains("✓ 4 NanoBanana 3:2: a blue fox"))
        #expect(screen.contains("NanoBanana takes no size: 1536x1024 sent as 3:2"))
        #expect(screen.contains("Model     ‹ gpt-image-2, NanoBanana ›"))
    }

    @Test("over four requests Ctrl-S asks once; y sends the run, n sends nothing")
    func asksOverFour() {
        let d = Driver()
        d.type("a {red|blue|green} fox")
        choose(d, .quality, "low")
        d.press(.escape)
        #expect(d.state.composer.requestCount == 6)
        d.press(.ctrl("s"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.contains("Send 6 requests (3 prompts × 2 qualities), 6 billable units?") == true)
        #expect(d.screen.contains("Requests of the run"), "the list shows behind the question")
        d.press(.char("n"))
        #expect(d.effects.isEmpty && d.state.message == "Not sent")
        d.press(.ctrl("s"), .char("y"))
        guard case let .sendRun(plan)? = d.effects.last else {
            Issue.record("not sent: \(d.effects)")
            return
        }
        #expect(plan.requests.count == 6 && d.state.submitting == 1)
        d.send(.runEnded("Run #1: 6 sent", isError: false, task: nil))
        #expect(d.state.submitting == 0 && d.state.message == "Run #1: 6 sent")
    }

    @Test("the same run again within seconds is asked about, even under five requests")
    func sameRunAgain() {
        let d = Driver()
        d.send(.clock(Date(timeIntervalSince1970: 1_800_000_000)))
        d.type("a {red|blue} fox").press(.ctrl("s"))
        #expect(d.effects.count == 1, "two requests go without a question")
        d.press(.ctrl("s"))
        #expect(d.effects.count == 1)
        #expect(d.state.message?.contains("The same run was sent seconds ago") == true)
        d.press(.char("y"))
        #expect(d.effects.count == 2)
        d.send(.clock(Date(timeIntervalSince1970: 1_800_000_060)))
        d.press(.ctrl("s"))
        #expect(d.effects.count == 3, "a minute later it is a new decision")
    }

    @Test("a run with an invalid request sends nothing and names the request and its problem")
    func invalidRequestBlocks() {
        let d = Driver()
        d.type("{a fox|}")
        choose(d, .model, "NanoBanana")
        d.press(.escape)
        d.press(.ctrl("s"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.hasPrefix("Not sent") == true, "\(d.state.message ?? "")")
    }

    @Test("p holds a run's waiting requests or sends its paused ones; X asks, then cancels; on a task of no run, they say why not")
    func unsentKeys() {
        let d = Driver()
        var waiting = Records.make(9, .waiting, prompt: "fox 2")
        waiting.runID = 3
        waiting.taskID = nil
        var sent = Records.make(8, .queued, prompt: "fox 1")
        sent.runID = 3
        d.send(.tasksLoaded([waiting, sent], replace: true))
        d.state.focus = .tasks
        #expect(d.screen.contains("to send"))
        d.press(.char("p"))
        #expect(d.effects.last == .unsent(run: 3, .pauseOrResume))
        d.press(.char("X"))
        #expect(d.state.overlay?.confirmation == .cancelUnsent(run: 3, count: nil))
        d.press(.char("y"))
        #expect(d.effects.last == .unsent(run: 3, .cancel))

        let lone = Driver()
        lone.send(.tasksLoaded([Records.make(1, .queued, prompt: "x")], replace: true))
        lone.state.focus = .tasks
        lone.press(.char("p"))
        #expect(lone.effects.isEmpty && lone.state.message?.contains("not part of a run") == true)
    }
}

extension RunComposerTests {
    @Test("the detail of a request not sent says so and what p and X do; no progress clock")
    func unsentDetail() {
        let d = Driver()
        var paused = Records.make(9, .paused, prompt: "fox 2", error: "not sent: darkroom stopped before its turn; resume or cancel it")
        paused.runID = 3
        paused.taskID = nil
        d.send(.tasksLoaded([paused], replace: true))
        d.press(.f(4))
        let screen = d.screen
        #expect(screen.contains("‖ paused") && screen.contains("no task id"))
        #expect(screen.contains("Not sent: it is sent only when resumed. p sends"))
        #expect(!screen.contains("elapsed"))
    }
}

extension RunComposerTests {
    @Test("on a request not sent yet, p and X come first in the hint bar, even at 80 columns")
    func unsentHints() {
        let d = Driver(width: 80, height: 24)
        var paused = Records.make(9, .paused, prompt: "fox 2")
        paused.runID = 3
        d.send(.tasksLoaded([paused], replace: true))
        d.press(.f(3))
        let hints = d.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(hints.contains("p pause/send") && hints.contains("X cancel"), "\(hints)")
    }
}

extension RunComposerTests {
    @Test("with a [prices] table the run line and the question give the cost; a request without a price leaves it out")
    func priced() {
        let d = Driver(width: 200, height: 60)
        d.state.prices = Prices(table: PriceTable(currency: "$", models: ["NanoBanana2-1K": 0.04], gptImage2: ["1024x1024": 0.05]))
        d.type("a {red|blue|green} fox")
        choose(d, .model, "NanoBanana2")
        d.press(.escape)
        #expect(d.screen.contains("6 requests (3 prompts × 2 models), 6 billable units, ≈ $0.27"))
        d.press(.ctrl("s"))
        #expect(d.state.message?.contains("Send 6 requests (3 prompts × 2 models), 6 billable units, ≈ $0.27 from [prices]?") == true)
        d.press(.char("n"))
        choose(d, .size, "1536x1024")
        d.press(.escape)
        #expect(d.screen.contains("12 requests (3 prompts × 2 models × 2 shapes), 12 billable units"))
        #expect(!d.screen.contains("≈ $"), "no price for 1536x1024: no total")
    }
}

extension RunComposerTests {
    @Test("in a narrow composer the Run line wraps: the totals are never cut")
    func runLineWraps() {
        let d = Driver(width: 120, height: 40)
        d.type("a {red|blue} fox")
        choose(d, .model, "NanoBananaPro")
        d.press(.escape)
        let lines = d.screen.split(separator: "\n").map { String($0.prefix(50)) }
        guard let i = lines.firstIndex(where: { $0.contains("Run       ") }) else {
            Issue.record("no Run line:\n\(d.screen)")
            return
        }
        let text = lines[i...].prefix(3).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "┃│ ")) }.joined(separator: " ")
        #expect(text.contains("4 requests (2 prompts × 2 models), 4 billable units"), "\(text)")
    }
}
