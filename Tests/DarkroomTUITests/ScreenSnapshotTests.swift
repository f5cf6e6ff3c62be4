import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// Whole screens as plain text at every size from 80x24 up (and the 40x12 minimum).
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (100, 30), (120, 40), (200, 60), (40, 12)]

    func each(_ name: String, _ setup: (Driver) -> Void) {
        for (w, h) in Self.sizes {
            let d = Driver(width: w, height: h)
            setup(d)
            assertSnapshot(d.screen, named: "\(name)-\(w)x\(h)")
        }
    }

    @Test("empty start: a valid default request and the prompt focused")
    func emptyStart() { each("empty") { _ in } }

    @Test("gpt-image-2 with its size picker open, filtered by tier")
    func sizePicker() {
        each("size-picker") { d in
            d.type("a lighthouse")
            d.press(.tab, .tab, .tab, .right, .enter)
        }
    }

    @Test("NanoBanana with its aspect ratios")
    func nanoRatios() {
        each("nanobanana") { d in
            d.press(.tab, .right, .right, .tab, .right, .tab, .enter)
        }
    }

    @Test("validation errors next to their fields")
    func validation() {
        each("validation") { d in
            d.press(.tab, .tab, .tab, .tab, .tab, .tab, .tab)
            d.type("ftp://nope")
            d.press(.ctrl("s"))
        }
    }

    @Test("the task list with tasks in every state")
    func taskList() {
        each("tasks") { d in
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.press(.f(3), .down)
        }
    }

    @Test("detail of a succeeded task")
    func detailSucceeded() {
        each("detail-succeeded") { d in
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.press(.f(3), .down, .down, .enter)
        }
    }

    @Test("detail of a failed task")
    func detailFailed() {
        each("detail-failed") { d in
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.press(.f(3), .down, .down, .down, .enter)
        }
    }

    @Test("help over everything")
    func help() {
        each("help") { d in d.press(.f(1)) }
    }

    @Test("a CJK and emoji prompt, wrapped by display width")
    func cjk() {
        each("cjk") { d in
            d.type("一只猫在屋顶上看星星 🎨 then a long line of English words to wrap around the edge of the prompt box")
            d.send(.tasksLoaded(Records.sample, replace: true))
        }
    }

    @Test("emoji sequences (a ZWJ family, flags, a skin tone, VS16) in the prompt and the list: each one cluster, the panes beside them whole")
    func emojiSequences() {
        each("emoji-sequences") { d in
            d.send(.paste("👨\u{200D}👩\u{200D}👧\u{200D}👦 fox 狐狸"))
            d.type(" tail")
            var list = Records.sample
            list[0].request.prompt = "🇫🇷🇯🇵 flags, 👍🏽 a thumb, ❤️ a heart, 👨\u{200D}👩\u{200D}👧\u{200D}👦 a family"
            d.send(.tasksLoaded(list, replace: true))
        }
    }

    @Test("Ctrl-T shows the JSON at every size (compact when rows are short)")
    func json() {
        each("json") { d in
            d.type("a lighthouse at dusk")
            d.press(.ctrl("t"))
        }
    }

    @Test("the message log")
    func messages() {
        each("messages") { d in
            d.send(.clock(Date(timeIntervalSince1970: 1_800_000_000)))
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.send(.notice("Submitted task_9", isError: false, task: 9))
            d.send(.notice("The download of #4 failed: the link expired (HTTP 403 from results.example); the saved copy is kept and its preview still shows", isError: true, task: 4))
            d.press(.f(3), .char("L"))
        }
    }

    @Test("a question in the status bar (the same request again)")
    func confirm() {
        each("confirm") { d in
            d.type("a red kite").press(.ctrl("s"), .ctrl("s"))
        }
    }

    @Test("Ctrl-R's earlier prompts")
    func promptSearch() {
        each("prompt-search") { d in
            d.send(.promptsLoaded(["a lighthouse at dusk", "一只猫 on a roof", "a paper crane\nsecond line"]))
            d.press(.ctrl("r"))
            d.type("a")
        }
    }

    @Test("the task search being typed, and the profile list")
    func filterAndProfiles() {
        each("filter") { d in
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.press(.f(3), .char("/"))
            d.type("lighthouse")
        }
        each("profiles") { d in
            d.state.profiles = ["demo", "work", "a-profile-with-a-long-name"]
            d.state.profile = "demo"
            d.send(.tasksLoaded(Records.sample, replace: true))
            d.press(.f(3), .char("P"))
        }
    }

    @Test("too small a terminal says so")
    func tooSmall() {
        let d = Driver(width: 30, height: 8)
        assertSnapshot(d.screen, named: "too-small")
        d.press(.char("q"))
        #expect(d.effects == [.quit])
    }
}
