import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation
import Testing

/// `darkroom export`: a gallery that opens from disk, from a real history of
/// tasks run against the simulator.
@Suite("Export")
struct ExportTests {
    /// Three tasks run to the end: two pictures of a lighthouse (n=2), one fox, one failure.
    func history() async throws -> (CLIHarness, [String: String]) {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a lighthouse <b>at dusk</b> & \"fog\"", "--n", "2", "--wait"], env: env) == 0, "\(h.stderr)")
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x768", "--prompt", "a red fox", "--wait"], env: env) == 0, "\(h.stderr)")
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "[fail] a cube", "--wait"], env: env) == 1)
        await sim.stop()
        return (h, env)
    }

    @Test("pictures, sidecars and an index that names each one, escaped, with no script and nothing from the network")
    func exportAll() async throws {
        let (h, _) = try await history()
        let dir = h.home.appendingPathComponent("gallery")
        #expect(await h.run(["export", dir.path]) == 0, "\(h.stderr)")
        #expect(h.stdout.contains("Wrote 3 pictures from 2 tasks to \(dir.path)"))
        #expect(h.stdout.contains("Open file://\(dir.path)/index.html"))
        let pictures = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("pictures").path).sorted()
        #expect(pictures.filter { $0.hasSuffix(".png") }.count == 3)
        #expect(pictures.filter { $0.hasSuffix(".json") }.count == 3)
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("a lighthouse &lt;b&gt;at dusk&lt;/b&gt; &amp; &quot;fog&quot;"))
        #expect(!html.contains("<b>at dusk"))
        #expect(html.contains("a red fox") && !html.contains("a cube"))
        #expect(html.contains("gpt-image-2") && html.contains("1024x768"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"))
        // Every picture the page shows is in the folder, byte for byte the saved one.
        for name in pictures where name.hasSuffix(".png") {
            #expect(html.contains("src=\"pictures/\(name)\""))
            let copy = try Data(contentsOf: dir.appendingPathComponent("pictures/\(name)"))
            #expect(ImageSniffer.format(of: Array(copy.prefix(16))) == .png)
            let sidecar = try JSONParser.parse(String(decoding: try Data(contentsOf: dir.appendingPathComponent("pictures/" + name.replacingOccurrences(of: ".png", with: ".json"))), as: UTF8.self))
            #expect(sidecar["task_id"]?.stringValue != nil)
        }
    }

    @Test("filters: --search, --status, --since; --json for scripts")
    func filters() async throws {
        let (h, _) = try await history()
        let fox = h.home.appendingPathComponent("fox")
        #expect(await h.run(["export", fox.path, "--search", "fox", "--status", "succeeded", "--json"]) == 0, "\(h.stderr)")
        let out = try JSONParser.parse(h.stdout)
        #expect(out["pictures"]?.intValue == 1 && out["tasks"]?.intValue == 1)
        #expect(out["index"]?.stringValue == fox.appendingPathComponent("index.html").path)
        // The harness's clock starts at a fixed time: tomorrow has nothing yet.
        let later = h.home.appendingPathComponent("later")
        #expect(await h.run(["export", later.path, "--since", "2999-01-01"]) == 0)
        #expect(h.stdout.contains("Wrote 0 pictures"))
        #expect(h.stderr.contains("no saved pictures match"))
        #expect(await h.run(["export", later.path, "--since", "yesterday"]) == 64)
        #expect(h.stderr.contains("--since yesterday is not a date: use YYYY-MM-DD"))
        #expect(await h.run(["export", later.path, "--status", "done"]) == 64)
        #expect(h.stderr.contains("unknown status \"done\""))
    }

    @Test("a folder with other files is refused, an earlier export is updated, a gone file is skipped and named")
    func folders() async throws {
        let (h, _) = try await history()
        let mine = h.home.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        #expect(await h.run(["export", mine.path]) == 64)
        #expect(h.stderr.contains("is not empty and is not an earlier darkroom export"))
        #expect(try String(contentsOf: mine.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep")
        let dir = h.home.appendingPathComponent("gallery")
        #expect(await h.run(["export", dir.path]) == 0)
        // A picture removed from disk since: skipped, named, the rest exported again.
        #expect(await h.run(["history", "--json", "--search", "fox"]) == 0)
        let fox = try JSONParser.parse(h.stdout.split(separator: "\n").first.map(String.init) ?? "")
        let path = try #require(fox["results"]?.arrayValue?.first?["path"]?.stringValue)
        try FileManager.default.removeItem(atPath: path)
        #expect(await h.run(["export", dir.path]) == 0, "\(h.stderr)")
        #expect(h.stdout.contains("Wrote 2 pictures from 1 task"))
        #expect(h.stderr.contains("skipped #") && h.stderr.contains("the file is gone"))
        // A file where the folder should be.
        let file = h.home.appendingPathComponent("a-file")
        try Data().write(to: file)
        #expect(await h.run(["export", file.path]) == 73)
    }

    @Test("the HTML escapes what a server or a prompt may carry, and drops control characters")
    func escaping() {
        #expect(GalleryExport.escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;")
        #expect(GalleryExport.escape("it's \u{1B}[31mred\u{07}") == "it&#39;s [31mred")
    }
}

extension ExportTests {
    @Test("an earlier export whose pictures folder became a symbolic link is never written through; nothing lands in the link's target")
    func symlinkedPictures() async throws {
        let (h, _) = try await history()
        let dir = h.home.appendingPathComponent("gallery")
        #expect(await h.run(["export", dir.path]) == 0)
        let elsewhere = h.home.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("pictures"))
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("pictures"), withDestinationURL: elsewhere)
        #expect(await h.run(["export", dir.path]) == 73)
        #expect(h.stderr.contains("symbolic link"), "\(h.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty, "nothing written through the link")
    }

    @Test("--since with an offset no time zone has (+99:00) is refused; the page isolates each prompt's direction")
    func sinceAndDirection() async throws {
        let h = CLIHarness()
        #expect(await h.run(["export", h.home.appendingPathComponent("g").path, "--since", "2026-11-01T09:30:00+99:00"]) == 64)
        #expect(h.stderr.contains("+99:00") && h.stderr.contains("at most ±14:00"), "\(h.stderr)")
        #expect(await h.run(["export", h.home.appendingPathComponent("g2").path, "--since", "2026-11-01T09:30:00+05:30"]) == 0, "\(h.stderr)")
        let (full, _) = try await history()
        let dir = full.home.appendingPathComponent("gallery")
        #expect(await full.run(["export", dir.path]) == 0)
        let page = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains(#"<p class="prompt" dir="auto"><bdi>"#))
    }
}
