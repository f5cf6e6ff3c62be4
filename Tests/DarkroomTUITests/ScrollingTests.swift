import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// Lists, logs and help scroll the same way everywhere: ↑↓ a line, PgUp PgDn a
/// page of what shows, Home End to the ends, the wheel as ↑↓.
@Suite("Scrolling, the same everywhere")
struct ScrollingTests {
    /// Rows of the screen between the box's top and bottom borders.
    func inner(_ d: Driver) -> [String] {
        let rows = d.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Array(rows.dropFirst().prefix(d.state.height - 4))
    }

    @Test("the message log: Home shows the first messages filling the page, End the newest at the bottom, PgUp a page")
    func messageLog() {
        let d = Driver(width: 80, height: 24)
        for i in 1...60 { d.send(.notice("message number \(i)", isError: false)) }
        d.state.focus = .tasks
        d.press(.char("L"))
        #expect(inner(d).last?.contains("message number 60") == true)
        d.press(.home)
        let top = inner(d)
        #expect(top.first?.contains("message number 1 ") == true || top.first?.hasSuffix("message number 1") == true, "\(top.first ?? "")")
        #expect(top.filter { $0.contains("message number") }.count == 20, "a full page, not one message alone: \(top)")
        d.press(.pageDown)
        #expect(inner(d).first?.contains("message number 20") == true, "a page less the line kept: \(inner(d).first ?? "")")
        d.press(.end)
        #expect(inner(d).last?.contains("message number 60") == true)
        d.press(.pageUp)
        #expect(inner(d).last?.contains("message number 41") == true, "\(inner(d).last ?? "")")
        // A new notice while at the bottom shows at once.
        d.press(.end)
        d.send(.notice("the newest", isError: false))
        #expect(inner(d).last?.contains("the newest") == true)
    }

    @Test("help: End shows the last line, PgDn moves by what shows, Home back to the top")
    func help() {
        let d = Driver(width: 80, height: 24)
        d.press(.f(1))
        let lines = HelpView.lineCount(width: 80), visible = HelpView.visibleRows(height: 24)
        d.press(.end)
        #expect(d.state.overlay == .help(scroll: lines - visible))
        #expect(d.screen.contains("of \(lines),"), "\(d.screen.split(separator: "\n").first ?? "")")
        d.press(.home)
        d.press(.pageDown)
        #expect(d.state.overlay == .help(scroll: visible - 1), "a page of \(visible) rows, keeping one")
        d.send(.mouse(.wheelDown, x: 10, y: 10))
        #expect(d.state.overlay == .help(scroll: visible))
    }
}

@Suite("Hints only where their key acts")
struct HintWhereItActsTests {
    @Test("a notice cut at the edge ends with L where L opens the log, and with … alone in the prompt, where L types")
    func cutNotice() {
        let d = Driver(width: 80, height: 24)
        d.send(.notice(String(repeating: "a long notice ", count: 12), isError: false))
        let status = { d.screen.split(separator: "\n").dropLast().last.map(String.init) ?? "" }
        #expect(d.state.focus == .compose && d.state.composer.field == .prompt)
        #expect(status().hasSuffix("…"), "\(status())")
        #expect(!status().hasSuffix(" L"))
        d.press(.f(3))
        #expect(status().hasSuffix("… L"), "\(status())")
    }

    @Test("a task with no events shows no empty Timeline heading")
    func noEmptyTimeline() {
        let d = Driver()
        var t = Records.make(1, .succeeded, prompt: "seeded")
        t.events = []
        d.send(.tasksLoaded([t], replace: true))
        d.press(.f(4))
        #expect(!d.screen.contains("Timeline"))
        d.send(.tasksLoaded([Records.make(2, .succeeded, prompt: "lived")], replace: true))
        #expect(d.screen.contains("Timeline"))
    }
}

@Suite("Labels whole, never cut mid-word")
struct WholeLabelsTests {
    @Test("truncateWords cuts at a word's end, with an ellipsis")
    func truncateWords() {
        #expect(DisplayWidth.truncateWords("by size; gpt-image-2 takes no aspect ratio", to: 30) == "by size; gpt-image-2 takes no…")
        #expect(DisplayWidth.truncateWords("none (URLs or local files; quotes and \\ as in a shell)", to: 33) == "none (URLs or local files…")
        #expect(DisplayWidth.truncateWords("short", to: 30) == "short")
        #expect(DisplayWidth.truncateWords("unbreakable", to: 6) == "unbre…")
    }

    @Test("at 120 columns the composer's hints end on whole words, and the detail's parameters wrap beside the preview")
    func composerAndDetail() {
        let d = Driver(width: 120, height: 40)
        var t = Records.make(5, .succeeded, prompt: "a lighthouse at dusk", model: "gpt-image-2", progress: 100, size: "1536x1024", results: 1)
        t.request.quality = "medium"
        d.send(.tasksLoaded([t], replace: true))
        let rows = d.screen.split(separator: "\n").map(String.init)
        let reference = rows.first { $0.contains("Reference") } ?? ""
        let aspect = rows.first { $0.contains("Aspect") } ?? ""
        for row in [reference, aspect] {
            let inPane = row.split(whereSeparator: { $0 == "┃" || $0 == "│" }).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            #expect(inPane.hasSuffix("…") || inPane.hasSuffix(")") || inPane.hasSuffix("ratio"), "cut mid-word: \(inPane)")
        }
        #expect(aspect.contains("…") && !aspect.contains("aspe…"), "\(aspect)")
        d.press(.f(4))
        #expect(d.screen.contains("medium ·") || d.screen.contains("· medium"), "\(d.screen)")
        #expect(!d.screen.contains("mediu…"))
    }
}
