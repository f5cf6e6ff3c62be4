import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

/// Stars and tags in the real binary, in tmux, kept across a restart (in the serialized tmux suite).
extension TmuxTests {
    @Test("a picture starred with f and tagged with T in the gallery, another task hidden with x; after quitting and starting again, the hidden one is not listed and / #tag finds the first, starred",
          .enabled(if: tmuxAvailable))
    func starTagRestartFind() async throws {
        var config = SimulatorConfig()
        config.speed = 50
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-curation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = Tmux()
        defer { tmux.kill() }
        let binary = ProcessTests.binary.path
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "HOME=\(home.path)", "XDG_CONFIG_HOME=\(home.path)/config",
                             "XDG_DATA_HOME=\(home.path)/data", "XDG_CACHE_HOME=\(home.path)/cache", "XDG_STATE_HOME=\(home.path)/state",
                             "DARKROOM_BASE_URL=\(sim.baseURL.absoluteString)", "DARKROOM_API_KEY=sk-curation-tmux-0001"],
                       "\(binary); echo FIRST-ENDED; read -r _; \(binary); echo SECOND-ENDED; sleep 30")
        _ = try await tmux.waitFor("the composer") { $0.contains("Describe the image") }
        try tmux.text("a lighthouse to keep")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the task done", within: 60) { $0.contains("✓ #1 done") }
        try tmux.keys("C-u")
        _ = try await tmux.waitFor("the prompt cleared") { !$0.contains("a lighthouse to keep ") || $0.contains("Describe the image") }
        try tmux.text("a failed attempt")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the second task done", within: 60) { $0.contains("✓ #2 done") }
        try tmux.keys("F3")
        try tmux.keys("Down")
        _ = try await tmux.waitFor("the first task selected") { $0.contains("#1  task_") }
        try tmux.keys("F4")
        _ = try await tmux.waitFor("its picture saved", within: 60) { $0.contains("saved ") }
        try tmux.text("g")
        _ = try await tmux.waitFor("the gallery") { $0.contains("Gallery") }
        try tmux.text("f")
        _ = try await tmux.waitFor("the picture starred") { $0.contains("★ #1") && $0.contains("Starred #1 picture 1") }
        try tmux.text("T")
        _ = try await tmux.waitFor("the tag line") { $0.contains("Tags of #1") }
        try tmux.text("Keeper, sea")
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the tags saved") { $0.contains("#1: #keeper #sea") }
        try tmux.keys("Escape")
        // Esc and Ctrl-C sent together would read as Alt-Ctrl-C: wait for the panes first.
        _ = try await tmux.waitFor("the panes again") { $0.contains("Detail") && !$0.contains("Gallery") }
        try tmux.keys("F3")
        try tmux.keys("Home")
        _ = try await tmux.waitFor("the second task selected") { $0.contains("#2  task_") }
        try tmux.text("x")
        _ = try await tmux.waitFor("the second task hidden") { $0.contains("Hid #2") && $0.contains("(hidden) a fa") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the first run to end") { $0.contains("FIRST-ENDED") }
        try tmux.keys("Enter")
        let restarted = try await tmux.waitFor("the second run with its list") { $0.contains("Describe the image") && $0.contains("a lighthous") }
        #expect(!restarted.contains("a fai"), "a hidden task is not listed after a restart")
        try tmux.keys("F3")
        try tmux.text("/")
        try tmux.text("#keeper")
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the task found by its tag") { $0.contains("Tasks /#keeper") && $0.contains("★ a lighthous") }
        try tmux.keys("Enter")
        let detail = try await tmux.waitFor("its detail") { $0.contains("#1  task_") }
        #expect(detail.contains("Starred  ★ picture 1") && detail.contains("#keeper #sea"))
        try tmux.keys("F3")
        try tmux.text("/")
        try tmux.keys("C-u")
        try tmux.text("#nosuch")
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("nothing for another tag") { $0.contains("No task matches.") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the second run to end") { $0.contains("SECOND-ENDED") }
    }
}
