import Foundation
import Testing

/// A run composed and compared in the real binary, in tmux, on the demo (in the
/// serialized tmux suite: one TUI at a time).
extension TmuxTests {
    @Test("{a|b} and a second quality make a run of four: sent, listed, and compared side by side with c",
          .enabled(if: tmuxAvailable))
    func composeSendCompare() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 140)
        try tmux.text("\(ProcessTests.binary.path) demo --seed 0 --speed 20\n")
        _ = try await tmux.waitFor("the composer") { $0.contains("Describe the image") }
        try tmux.text("a {red|blue} fox")
        // Quality: its list, down to high, Space adds it to medium.
        for _ in 0..<4 { try tmux.keys("Tab") }
        _ = try await tmux.waitFor("the quality field") { $0.contains("▸ Quality") }
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the quality list") { $0.contains("Space several") }
        try tmux.keys("Down", "Down", "Space", "Escape")
        _ = try await tmux.waitFor("the run line") { $0.contains("Run       4 requests (2 prompts × 2 qualities)") }
        try tmux.keys("C-t")
        let listed = try await tmux.waitFor("the list of requests") { $0.contains("Requests of the run") }
        #expect(listed.contains("✓ 1 gpt-image-2 1024x1024 medium: a red fox"))
        #expect(listed.contains("✓ 4 gpt-image-2 1024x1024 high: a blue fox"))
        try tmux.keys("C-s")
        let sent = try await tmux.waitFor("the run sent") { $0.contains("Run #1: 4 sent") }
        #expect(!sent.contains("Send 4 requests"), "four are sent without a question")
        try tmux.keys("F3", "Home")
        _ = try await tmux.waitFor("the tasks done") { $0.contains("✓ 4 done") }
        try tmux.text("c")
        let grid = try await tmux.waitFor("the comparison grid") { $0.contains("Run #1  4 tasks") }
        #expect(grid.contains("rows: prompt") && grid.contains("columns: quality"))
        try tmux.keys("C-c")
    }
}

extension TmuxTests {
    @Test("right after Ctrl-S sends a run, p in the list pauses that run, not the run of the task selected before",
          .enabled(if: tmuxAvailable))
    func pauseTheRunJustSent() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 160)
        // Every answer takes 4 s: the run is still sending when p is pressed. The seeded
        // run of 3 prompts × 2 models holds the newest tasks, so the selection starts in it.
        try tmux.text("\(ProcessTests.binary.path) demo --seed 3 --faults slow=1,slow_delay=4\n")
        _ = try await tmux.waitFor("the composer", within: 60) { $0.contains("Describe the image") }
        try tmux.text("a {red|blue|green|grey|pink|gold} fox")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the question", within: 60) { $0.contains("Send 6 requests") }
        try tmux.text("y")
        _ = try await tmux.waitFor("the run recorded", within: 60) { $0.contains("to send") }
        try tmux.keys("F3")
        try tmux.text("p")
        // Notices come and go as the run sends: the message log keeps them all.
        try tmux.text("L")
        let log = try await tmux.waitFor("the run paused, in the log", within: 60) { $0.contains("paused (p sends them") || $0.contains("has no request waiting") }
        #expect(log.contains("Run #2: 6 requests recorded"), "the notice names the run the keys act on: \(log)")
        #expect(log.contains("Run #2:") && log.contains("paused (p sends them") && !log.contains("has no request waiting"), "\(log)")
        try tmux.keys("Escape")
        try tmux.keys("C-c")
    }
}
