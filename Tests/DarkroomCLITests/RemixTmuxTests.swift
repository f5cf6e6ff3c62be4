import DarkroomCore
import DarkroomHistory
import DarkroomSimulator
import Foundation
import Testing

/// A remix in the real binary, in tmux, on the demo (in the serialized tmux suite).
extension TmuxTests {
    @Test("demo: a picture remixed with i, its prompt edited, Ctrl-S: the new task succeeds, each detail names the other, and the simulator got the saved file's bytes",
          .enabled(if: tmuxAvailable))
    func remixInTheDemo() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        let before = Set(Self.demoFolders())
        try tmux.start(width: 120, height: 40)
        try tmux.text("\(ProcessTests.binary.path) demo --seed 0 --speed 20\n")
        _ = try await tmux.waitFor("the composer") { $0.contains("Describe the image") }
        try tmux.text("a lighthouse")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the first task done", within: 60) { $0.contains("✓ #1 done") }
        try tmux.keys("F4")
        _ = try await tmux.waitFor("its picture saved", within: 60) { $0.contains("saved 384x") }
        try tmux.text("i")
        _ = try await tmux.waitFor("the remix in the composer") { $0.contains("Remix of #1 (picture 1)") }
        try tmux.keys("End")
        try tmux.text(", at dusk")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the remix done", within: 60) { $0.contains("✓ #2 done") }
        try tmux.keys("F4")
        let child = try await tmux.waitFor("the child's detail") { $0.contains("#2  task_") && $0.contains("From     #1 (picture 1)") }
        #expect(child.contains("a lighthouse, at dusk"))
        try tmux.text("u")
        let parent = try await tmux.waitFor("the parent's detail") { $0.contains("#1  task_") && $0.contains("Children #2") }
        #expect(parent.contains("From") == false || !parent.contains("From     #"), "the parent came from nothing")
        // The bytes the simulator received are the saved file's.
        // This demo's folder (other tests may run demos meanwhile): the one whose #2 is this remix.
        var found: TaskRecord?
        for folder in Set(Self.demoFolders()).subtracting(before) {
            guard let store = try? HistoryStore(path: folder + "/" + HistoryStore.fileName),
                  (try? await store.record(localID: 2))??.request.prompt == "a lighthouse, at dusk" else { continue }
            found = try await store.record(localID: 1)
        }
        let first = try #require(found)
        let saved = try #require(first.results.first?.file?.sha256)
        // The demo's simulator says what it received on its root page.
        let root = try await CurlTransport(proxy: .none).send(HTTPRequestData(method: "GET", url: try #require(URL(string: first.baseURL + "/")),
                                                                               headers: [], timeout: .seconds(10)))
        let page = String(decoding: root.body, as: UTF8.self)
        #expect(page.contains("sha256 \(saved)"), "\(page)")
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    static func demoFolders() -> [String] {
        let tmp = FileManager.default.temporaryDirectory
        return ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter { $0.hasPrefix("darkroom-demo-") }
            .map { tmp.appendingPathComponent($0).path }
    }
}

extension TmuxTests {
    @Test("recall --edit opens the TUI's composer with the request a picture carries", .enabled(if: tmuxAvailable))
    func recallEdit() async throws {
        let sim = try await SimulatorServer.start()
        defer { Task { await sim.stop() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-recall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let story = PictureStory(prompt: "a kite over dunes, from a file", model: "NanoBanana2-2K", aspectRatio: "3:2")
        let file = home.appendingPathComponent("kite.png")
        try Data(try MetadataWriter.embed(story, into: ScenePainter.png(prompt: "kite", variant: 0, aspect: 1.5, longSide: 64))).write(to: file)
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "HOME=\(home.path)", "XDG_CONFIG_HOME=\(home.path)/config",
                             "XDG_DATA_HOME=\(home.path)/data", "XDG_CACHE_HOME=\(home.path)/cache", "XDG_STATE_HOME=\(home.path)/state",
                             "DARKROOM_BASE_URL=\(sim.baseURL.absoluteString)", "DARKROOM_API_KEY=sk-recall-edit-0001"],
                       "\(ProcessTests.binary.path) recall \(file.path) --edit; sleep 30")
        let screen = try await tmux.waitFor("the composer with the recalled request") {
            $0.contains("a kite over dunes, from a file") && $0.contains("NanoBanana2-2K")
        }
        #expect(screen.contains("3:2"))
        try tmux.keys("C-c")
    }
}
