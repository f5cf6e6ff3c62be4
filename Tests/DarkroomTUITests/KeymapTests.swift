import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// One keymap drives the keys, the hint bar, the help screen and the clickable
/// hints; and nothing happens that the user cannot see (issue 11).
@Suite("One keymap; nothing unseen")
struct KeymapTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    // MARK: The keymap is one table

    @Test("no key means two things in one context")
    func unique() {
        for c in KeyContext.allCases {
            let keys = Keymap.bindings.filter { $0.context == c }.flatMap(\.keys)
            #expect(Set(keys.map(\.longLabel)).count == keys.count, "\(c) binds a key twice: \(keys.map(\.longLabel))")
        }
    }

    @Test("the help screen lists every binding of the keymap, keys and words")
    func helpFromKeymap() {
        let lines = HelpView.columns(width: 200).flatMap { $0 }
        let text = lines.map { ($0.key ?? "") + " " + $0.text }.joined(separator: "\n")
        for b in Keymap.bindings {
            #expect(lines.contains { $0.key == b.keysLabel }, "help lacks \(b.keysLabel) (\(b.help))")
            let firstWords = b.help.split(separator: " ").prefix(2).joined(separator: " ")
            #expect(text.contains(firstWords), "help lacks the words of \(b.keysLabel): \(b.help)")
        }
        for c in Set(Keymap.bindings.map(\.context)) {
            #expect(lines.contains { $0.key == nil && $0.text == c.title }, "help lacks the section \(c.title)")
        }
    }

    @Test("every hint in the bar is a binding that acts here, and clicking it presses it", arguments: [80, 120])
    func hintsAct(width: Int) {
        let d = Driver(width: width, height: 24)
        d.send(.tasksLoaded(Records.sample, replace: true))
        for setup: (Driver) -> Void in [{ _ in }, { $0.press(.f(3)) }, { $0.press(.f(4)) }, { $0.press(.tab) }] {
            setup(d)
            for item in HintBar.items(d.state) {
                let key = try! #require(item.binding.keys.first)
                #expect(Keymap.binding(for: key, in: d.state)?.help == item.binding.help, "hint \(item.label) is not what its key does")
                #expect(d.screen.split(separator: "\n").last.map(String.init)?.contains(item.label) == true)
            }
        }
        // A click on "F1 help" opens the help.
        let help = try! #require(HintBar.items(d.state).first { $0.binding.keys == [.f(1)] })
        d.send(.mouse(.click, x: help.x.lowerBound + 1, y: d.state.height - 1))
        #expect(d.state.overlay?.isHelp == true)
    }

    // MARK: Reproductions

    @Test("on the too-small screen Ctrl-S sends nothing; only quitting and resizing act")
    func tooSmallIsInert() {
        let d = Driver(width: 30, height: 8)
        d.state.composer.editor = PromptEditor("a lighthouse")
        d.press(.ctrl("s"), .char("r"), .f(1), .tab, .ctrl("t"), .enter)
        d.send(.mouse(.click, x: 3, y: 7))
        #expect(d.effects.isEmpty, "a billed task from a screen that shows nothing")
        #expect(d.state.overlay == nil && d.state.focus == .compose && !d.state.showJSON)
        d.send(.resize(width: 80, height: 24))
        #expect(!d.state.isTooSmall)
        d.send(.resize(width: 30, height: 8))
        d.press(.ctrl("c"))
        #expect(d.effects == [.quit])
    }

    @Test("Ctrl-S twice on the same request within 10 s asks, in one key (y)")
    func repeatAsks() {
        let d = Driver()
        d.send(.clock(Self.t0))
        d.type("a red kite").press(.ctrl("s"))
        #expect(d.effects.count == 1)
        d.send(.submitted(Records.make(9, .queued, prompt: "a red kite")))
        d.send(.clock(Self.t0.addingTimeInterval(3)))
        d.press(.ctrl("s"))
        #expect(d.effects.count == 1, "not sent again without asking")
        #expect(d.state.overlay?.confirmation != nil)
        #expect(d.screen.contains("Send it again"))
        d.press(.char("n"))
        #expect(d.effects.count == 1 && d.state.overlay == nil)
        d.press(.ctrl("s"), .char("y"))
        #expect(d.effects.count == 2, "y sends it")
        // After 10 s, or with a different request, no question.
        d.send(.clock(Self.t0.addingTimeInterval(14)))
        d.press(.ctrl("s"))
        #expect(d.effects.count == 3 && d.state.overlay == nil)
        d.type(" again").press(.ctrl("s"))
        #expect(d.effects.count == 4 && d.state.overlay == nil)
    }

    @Test("a long prompt shows its length, and sending one over 8,000 characters asks first")
    func longPrompt() {
        let d = Driver()
        d.send(.paste(String(repeating: "a lighthouse at dusk, ", count: 400)))
        #expect(d.screen.contains("8,800 chars (long)"))
        d.press(.ctrl("s"))
        #expect(d.effects.isEmpty)
        #expect(d.state.message?.contains("8,800 characters long. Send it?") == true)
        d.press(.escape)
        #expect(d.effects.isEmpty && d.state.message == "Not sent")
        d.press(.ctrl("s"), .char("y"))
        #expect(d.effects.count == 1)
        let short = Driver()
        short.type("a cat")
        #expect(short.screen.contains("5 chars"))
    }

    @Test("a prompt with {a|b} alternatives is sent as a run of every prompt; braces without | are only braces, \\{ a literal one")
    func promptAlternativesMakeARun() {
        let d = Driver()
        d.send(.clock(Self.t0))
        d.type("a {red|blue} fox").press(.ctrl("s"))
        guard case let .sendRun(plan)? = d.effects.last else {
            Issue.record("no run sent: \(d.effects)")
            return
        }
        #expect(plan.requests.map(\.prompt) == ["a red fox", "a blue fox"])
        #expect(plan.axes.map(\.name) == ["prompt"] && plan.problems.allSatisfy(\.isEmpty))
        let plain = Driver()
        plain.type("a {style} fox").press(.ctrl("s"))
        #expect(plain.effects.count == 1)
        let escaped = Driver()
        escaped.type("a \\{red|blue\\} fox").press(.ctrl("s"))
        #expect(escaped.effects.first.map { if case let .submit(r) = $0 { r.prompt == "a {red|blue} fox" } else { false } } == true)
    }

    @Test("Ctrl-U at the start of the prompt clears all of it; Ctrl-Y puts it back")
    func clearPrompt() {
        let d = Driver()
        d.send(.paste("line one\nline two"))
        d.press(.ctrl("u"))
        #expect(d.state.composer.editor.text == "line one\n", "elsewhere: to the start of the line")
        d.press(.ctrl("y"))
        #expect(d.state.composer.editor.text == "line one\nline two")
        for _ in 0..<3 { d.press(.up) }
        d.press(.home)
        #expect(d.state.composer.editor.cursor == 0)
        d.press(.ctrl("u"))
        #expect(d.state.composer.editor.text.isEmpty)
        #expect(d.state.message == "Prompt cleared (17 characters); Ctrl-Y puts it back")
        d.press(.ctrl("y"))
        #expect(d.state.composer.editor.text == "line one\nline two")
    }

    @Test("every notice goes into the message log (L) with time, task and the whole text; the status bar says when it cut one")
    func messageLog() {
        let d = Driver(width: 80, height: 24)
        d.send(.clock(Self.t0))
        d.send(.tasksLoaded(Records.sample, replace: true))
        let long = "The download of #4 could not update the history: the history file is locked by another darkroom for longer than 5 s; nothing was lost and it will be retried"
        d.send(.notice(long, isError: true, task: 4))
        d.state.focus = .tasks
        let bar = d.screen.split(separator: "\n").dropLast().last.map(String.init) ?? ""
        #expect(bar.hasSuffix(" L"), "a cut notice says where the rest is (where L opens it): \(bar)")
        d.state.focus = .compose
        d.send(.clock(Self.t0.addingTimeInterval(61)))
        d.press(.f(3), .char("t"))
        #expect(d.state.log.map(\.text) == [long, "Thumbnails on (needs a list 60 columns wide)"])
        #expect(d.state.log[0].task == 4 && d.state.log[0].isError && d.state.log[1].at == Self.t0.addingTimeInterval(61))
        d.press(.char("L"))
        let screen = d.screen
        #expect(screen.contains("Messages (2)"))
        #expect(screen.contains("08:00:00") && screen.contains("08:01:01"), "times in the zone given (UTC here)")
        // The whole text, wrapped: its last words are on screen.
        #expect(screen.contains("retried"))
        #expect(screen.contains("08:00:00 The download of #4"), "the task named once")
        d.press(.escape)
        #expect(d.state.overlay == nil)
    }

    @Test("the status bar keeps whole counts and the help key at 80 columns", arguments: [80, 100])
    func statusBarAt80(width: Int) {
        let d = Driver(width: width, height: 24)
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.send(.notice("Submitted task_9", isError: false))
        let lines = d.screen.split(separator: "\n").map(String.init)
        let status = lines[lines.count - 2], hints = lines[lines.count - 1]
        #expect(status.contains("✗1") || status.contains("✗ 1 failed"), "\(status)")
        #expect(status.contains("Submitted task_9"))
        #expect(hints.trimmingCharacters(in: .whitespaces).hasSuffix("F1 help"), "\(hints)")
    }

    @Test("the counts say when they follow a filtered list")
    func countsSayFiltered() {
        let d = Driver(width: 120, height: 30)
        d.send(.tasksLoaded(Records.sample, replace: true))
        #expect(!d.screen.contains("in this view"))
        d.press(.f(3), .char("s"))
        #expect(d.screen.contains("in this view: ○ 1 queued"))
    }
}
