import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

@Suite("Keys driven in memory")
struct KeyTests {
    @Test("typing a prompt and Ctrl-S submits the default gpt-image-2 request")
    func submitDefault() {
        let d = Driver()
        d.type("a red kite").press(.ctrl("s"))
        #expect(d.effects == [.submit(ImageRequest(model: "gpt-image-2", prompt: "a red kite", size: "1024x1024", quality: "medium", outputFormat: "png"))])
        #expect(d.state.submitting == 1)
        #expect(d.state.composer.editor.text == "a red kite")
    }

    @Test("an empty prompt is not sent, and the message says why")
    func emptyNotSent() {
        let d = Driver()
        d.press(.tab, .ctrl("s"))
        #expect(d.effects.isEmpty)
        #expect(d.state.composer.field == .prompt)
        #expect(d.state.message?.contains("the prompt is empty") == true)
    }

    @Test("q and ? type into the prompt, and quit or help elsewhere")
    func textVersusCommands() {
        let d = Driver()
        d.type("q?")
        #expect(d.state.composer.editor.text == "q?")
        #expect(d.effects.isEmpty)
        d.press(.tab).press(.char("?"))
        #expect(d.state.overlay?.isHelp == true)
        d.press(.escape).press(.char("q"))
        #expect(d.effects == [.quit])
    }

    @Test("a paste with newlines arrives whole and never runs commands")
    func paste() {
        let d = Driver()
        d.send(.paste("line one\nq\n?\u{1B}[2J"))
        #expect(d.state.composer.editor.text == "line one\nq\n?[2J")
        #expect(d.effects.isEmpty)
        #expect(d.state.overlay?.isHelp != true)
    }

    @Test("changing the model keeps legal choices and says what was mapped")
    func modelChange() {
        let d = Driver()
        d.press(.tab, .tab, .tab) // size
        d.press(.enter)
        for _ in 0..<20 where d.state.overlay?.picker.map({ $0.options[$0.index].value }) != "1536x864" { d.press(.up) }
        d.press(.enter)
        #expect(d.state.composer.size == "1536x864")
        d.press(.up, .up, .left) // model: gpt-image-2 → NanoBananaPro
        #expect(d.state.composer.family == .nanoBananaPro)
        #expect(d.state.composer.ratio == .r16x9)
        #expect(d.state.message?.contains("aspect 16:9") == true)
        d.press(.left) // → NanoBanana2
        #expect(d.state.composer.modelID == "NanoBanana2-1K")
    }

    @Test("webp is dropped with a notice when the new model does not offer it")
    func formatDropped() {
        let d = Driver()
        d.state.composer.format = .webp
        d.press(.tab, .left) // gpt-image-2 → NanoBananaPro
        #expect(d.state.composer.format == .png)
        #expect(d.state.message?.contains("webp dropped") == true)
    }

    @Test("the size picker is filtered by tier; Left/Right changes the tier, o the orientation")
    func sizePickerTiers() {
        let d = Driver()
        d.press(.tab, .tab, .tab, .enter)
        #expect(d.state.overlay?.picker?.options.count == 17)
        d.press(.right)
        #expect(d.state.composer.tier == .k2)
        #expect(d.state.overlay?.picker?.options.count == 19)
        d.press(.char("o"))
        #expect(d.state.overlay?.picker?.options.allSatisfy { $0.label.hasSuffix("Landscape") } == true)
        d.press(.escape)
        #expect(d.state.overlay?.picker == nil)
    }

    @Test("the selection stays on its task while updates and new tasks arrive")
    func selectionFollowsTask() {
        let d = Driver(width: 80, height: 24)
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .down, .down)
        let chosen = d.state.selectedID
        #expect(chosen == 4)
        d.send(.taskChanged(Records.make(5, .processing, prompt: "a lighthouse", model: "gpt-image-2", progress: 80, size: "1536x1024")))
        d.send(.taskChanged(Records.make(7, .queued, prompt: "a brand new task", progress: 0)))
        #expect(d.state.selectedID == chosen)
        #expect(d.state.tasks.first?.localID == 7)
        #expect(d.state.tasks.first(where: { $0.localID == 5 })?.progress == 80)
    }

    @Test("a new task above a scrolled view does not move the view")
    func scrollStays() {
        let d = Driver(width: 80, height: 12)
        let many = (1...60).reversed().map { Records.make(Int64($0), .succeeded, prompt: "task \($0)", progress: 100) }
        d.send(.tasksLoaded(many, replace: true))
        d.press(.f(3), .pageDown, .pageDown)
        let top = d.state.scrollTop
        let shown = d.state.tasks[top].localID
        d.send(.taskChanged(Records.make(61, .queued, prompt: "new", progress: 0)))
        #expect(d.state.tasks[d.state.scrollTop].localID == shown)
    }

    @Test("/ filters by text and asks the history; Esc clears it")
    func filter() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .char("/"))
        d.type("lighthouse").press(.enter)
        #expect(d.effects.last == .loadTasks(.listed(HistoryQuery(text: "lighthouse", limit: 200))))
        d.press(.char("s"))
        #expect(d.effects.last == .loadTasks(.listed(HistoryQuery(text: "lighthouse", states: StatusFilter.running.states, limit: 200))))
        d.press(.escape)
        #expect(d.effects.last == .loadTasks(.listed(HistoryQuery(limit: 200))))
    }

    @Test("detail actions: re-run, edit as new, copy URL, copy curl, open, stop watching")
    func actions() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .down, .down, .enter) // the succeeded task #4
        d.press(.char("y"))
        #expect(d.effects.last == .copy("https://results.example/task_4/0.png"))
        d.press(.char("o"))
        #expect(d.effects.last == .open(path: "/data/results/task_4/0.png"))
        d.press(.char("C"))
        if case let .copy(curl)? = d.effects.last { #expect(curl.contains("$DARKROOM_API_KEY") && curl.contains("NanoBanana2-1K")) } else { Issue.record("no curl") }
        d.press(.char("r"))
        #expect(d.effects.last == .submit(Records.sample[2].request))
        d.press(.char("e"))
        #expect(d.state.focus == .compose)
        #expect(d.state.composer.modelID == "NanoBanana2-1K")
        #expect(d.state.composer.editor.text == "一只猫 on a roof at night 🎨")
        d.press(.f(3), .up) // the processing task #5
        d.press(.char("w"))
        #expect(d.effects.last == .setWatching(localID: 5, false))
    }

    @Test("Ctrl-C asks first while a submit is in flight")
    func quitConfirm() {
        let d = Driver()
        d.type("x").press(.ctrl("s"), .ctrl("c"))
        #expect(d.state.overlay?.confirmation == .quitWhileSending)
        #expect(!d.effects.contains(.quit))
        d.press(.char("n"))
        #expect(d.state.overlay?.confirmation != .quitWhileSending)
        d.press(.ctrl("c"), .char("y"))
        #expect(d.effects.last == .quit)
    }

    @Test("Ctrl-T shows the exact JSON that would be sent")
    func json() {
        let d = Driver()
        d.type("a cat").press(.ctrl("t"))
        #expect(d.screen.contains(#""model": "gpt-image-2","#))
        #expect(d.screen.contains(#""response_format": "url""#))
    }

    @Test("a refused key pauses polling until F5")
    func authPause() {
        let d = Driver()
        d.send(.authFailed("the server refused the API key (401)"))
        #expect(d.state.pollingPaused)
        #expect(d.screen.contains("F5 resume polling"))
        d.press(.f(5))
        #expect(d.effects == [.resumePolling, .askGateway(GatewayProbe.allRoutes), .readWildcards])
        #expect(!d.state.pollingPaused)
        d.press(.f(5))
        #expect(d.effects.suffix(3) == [.readWildcards, .askGateway(GatewayProbe.allRoutes), .readWildcards], "not paused: the server is asked again, polling is not resumed twice")
    }

    @Test("live updates never add a task that the search filters out")
    func filteredUpdates() {
        let d = Driver()
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.press(.f(3), .char("/"))
        d.type("lighthouse").press(.enter)
        d.send(.tasksLoaded([Records.sample[1]], replace: true))
        d.send(.taskChanged(Records.make(9, .queued, prompt: "a koi pond", progress: 0)))
        d.send(.taskChanged(Records.make(10, .queued, prompt: "another Lighthouse", progress: 0)))
        #expect(d.state.tasks.map(\.localID) == [10, 5])
    }
}
