import DarkroomCLI
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

/// `star`, `tag`, `hide`, `purge`, and the filters of `history` and `export`,
/// on a history filled by real submits to the simulator over loopback.
@Suite("Stars, tags and hidden tasks from the CLI")
struct CurationCLITests {
    /// Three saved tasks: #1 (two pictures), #2, #3.
    func filled(_ h: CLIHarness, _ sim: SimulatorServer) async {
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--n", "2", "--prompt", "a lighthouse at dusk", "--wait"],
                            env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a red fox in fog", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a blue fox in fog", "--wait"], env: CLIHarness.env(sim)) == 0)
    }

    func ids(_ h: CLIHarness) throws -> [Int] {
        try h.stdout.split(separator: "\n").map { try #require(JSONParser.parse(String($0))["local_id"]?.intValue) }
    }

    @Test("star, tag and hide answer with the task as JSON; history filters by them; bad tags are refused with the reason")
    func commands() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        await filled(h, sim)
        let env = CLIHarness.env(sim)
        #expect(await h.run(["star", "#1:1", "--json"], env: env) == 0, "\(h.stderr)")
        var json = try JSONParser.parse(h.stdout)
        #expect(json["starred"] == .bool(false) && json["starred_pictures"] == .array([1]))
        #expect(await h.run(["star", "3"], env: env) == 0)
        #expect(h.stdout == "starred #3\n")
        #expect(await h.run(["tag", "#2", "+Fox", "+keep", "--json"], env: env) == 0, "\(h.stderr)")
        json = try JSONParser.parse(h.stdout)
        #expect(json["tags"] == .array(["fox", "keep"]))
        #expect(await h.run(["tag", "3", "fox", "-keep"], env: env) == 0)
        #expect(h.stdout == "#3: #fox\n")
        #expect(await h.run(["tag", "3", "+night sky"], env: env) == 64)
        #expect(h.stderr.contains("A tag is one word: “night sky” has a space"))
        #expect(await h.run(["tag", "3", "+a,b"], env: env) == 64)
        #expect(await h.run(["star", "#2:5"], env: env) == 64)
        #expect(h.stderr.contains("Task #2 has no picture 6."))
        #expect(await h.run(["star", "#9"], env: env) == 64)
        #expect(await h.run(["hide", "2", "--json"], env: env) == 0)
        #expect(try JSONParser.parse(h.stdout)["hidden"] == .bool(true))

        #expect(await h.run(["history", "--json"], env: env) == 0)
        #expect(try ids(h) == [3, 1], "hidden #2 is left out")
        #expect(await h.run(["history", "--json", "--hidden"], env: env) == 0)
        #expect(try ids(h) == [2])
        #expect(await h.run(["history", "--json", "--tag", "FOX"], env: env) == 0)
        #expect(try ids(h) == [3])
        #expect(await h.run(["history", "--json", "--starred"], env: env) == 0)
        #expect(try ids(h) == [3, 1])
        #expect(await h.run(["history", "--json", "--search", "* #fox blue"], env: env) == 0)
        #expect(try ids(h) == [3])
        #expect(await h.run(["history", "--tag", "no such"], env: env) == 64)
        #expect(await h.run(["history"], env: env) == 0)
        #expect(h.stdout.contains("#3 ★") && h.stdout.contains("a blue fox in fog #fox"))
        #expect(await h.run(["show", "1"], env: env) == 0)
        #expect(h.stdout.contains("Starred     picture 2"))
        #expect(await h.run(["hide", "2", "--off"], env: env) == 0)
        #expect(await h.run(["star", "3", "--off", "--json"], env: env) == 0)
        #expect(try JSONParser.parse(h.stdout)["starred"] == .bool(false))
        #expect(await h.run(["history", "--json", "--starred"], env: env) == 0)
        #expect(try ids(h) == [1])
        // #1 is starred by its second picture: --off on the task takes that star too.
        #expect(await h.run(["star", "1", "--off"], env: env) == 0)
        #expect(await h.run(["history", "--json", "--starred"], env: env) == 0)
        #expect(h.stdout.isEmpty)
    }

    @Test("export --starred writes a starred task's pictures and only the starred picture of another; --tag narrows")
    func export() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        await filled(h, sim)
        let env = CLIHarness.env(sim)
        #expect(await h.run(["star", "#1:1"], env: env) == 0)
        #expect(await h.run(["star", "#3"], env: env) == 0)
        #expect(await h.run(["tag", "#3", "+fox"], env: env) == 0)
        let out = h.home.appendingPathComponent("keepers").path
        #expect(await h.run(["export", out, "--starred", "--json"], env: env) == 0, "\(h.stderr)")
        var json = try JSONParser.parse(h.stdout)
        #expect(json["pictures"] == 2 && json["tasks"] == 2)
        // The page says what was kept: the star and the tags.
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<dt>starred</dt><dd>★</dd>").count == 3, "both pictures starred")
        #expect(html.contains("<dt>tags</dt><dd>#fox</dd>"))
        let fox = h.home.appendingPathComponent("fox").path
        #expect(await h.run(["export", fox, "--starred", "--tag", "fox", "--json"], env: env) == 0, "\(h.stderr)")
        json = try JSONParser.parse(h.stdout)
        #expect(json["pictures"] == 1 && json["tasks"] == 1)
    }

    @Test("purge lists hidden tasks and asks; without a terminal it needs --yes; it removes the rows and the saved files, nothing else")
    func purge() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        await filled(h, sim)
        let env = CLIHarness.env(sim)
        #expect(await h.run(["show", "1", "--json"], env: env) == 0)
        let files = try #require(JSONParser.parse(h.stdout)["results"]?.arrayValue?.compactMap { $0["path"]?.stringValue })
        #expect(files.count == 2 && files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let sidecars = files.map { ($0 as NSString).deletingPathExtension + ".json" }
        #expect(sidecars.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "each picture has its sidecar")
        #expect(await h.run(["purge"], env: env) == 64)
        #expect(h.stderr.contains("purge removes hidden tasks only"))
        #expect(await h.run(["purge", "--hidden"], env: env) == 0)
        #expect(h.stderr.contains("no hidden task"))
        // A task still on the server (sent, not waited for) is never purged.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "still running"], env: env) == 0)
        #expect(await h.run(["hide", "4"], env: env) == 0)
        #expect(await h.run(["hide", "1"], env: env) == 0)
        #expect(await h.run(["purge", "--hidden", "--older-than", "3650d"], env: env) == 0)
        #expect(h.stderr.contains("no hidden task is older than 3650d"))
        #expect(await h.run(["purge", "--hidden", "--older-than", "soon"], env: env) == 64)
        #expect(await h.run(["purge", "--hidden"], env: env) == 64)
        #expect(h.stderr.contains("purge asks before removing 1 hidden task and 2 pictures"))
        #expect(h.stdout.contains("#1  ") && h.stdout.contains("a lighthouse at dusk"))
        #expect(h.stderr.contains("#4 kept: it is queued, not ended"))
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "nothing removed without a yes")
        #expect(await h.run(["purge", "--hidden", "--dry-run", "--json"], env: env) == 0)
        #expect(try JSONParser.parse(h.stdout)["removed"] == .bool(false))
        #expect(await h.run(["purge", "--hidden", "--yes", "--json"], env: env) == 0, "\(h.stderr)")
        let gone = try JSONParser.parse(h.stdout)
        #expect(gone["local_id"] == 1 && gone["removed"] == .bool(true) && gone["files"]?.arrayValue?.count == 2)
        #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(sidecars.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "the sidecars (they hold the prompt) go too")
        #expect(!FileManager.default.fileExists(atPath: (files[0] as NSString).deletingLastPathComponent), "the task's folder goes")
        #expect(await h.run(["show", "1"], env: env) == 64)
        #expect(await h.run(["history", "--json", "--hidden"], env: env) == 0)
        #expect(try ids(h) == [4], "the unfinished hidden task is kept")
    }

    @Test("at a terminal, purge asks, and a no keeps everything")
    func purgeAsks() async throws {
        let h = CLIHarness(answers: false)
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a kite", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["hide", "1"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["purge", "--hidden"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stderr.contains("nothing removed"))
        #expect(await h.run(["history", "--hidden", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try ids(h) == [1])
    }
}
