import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomSimulator
import Foundation
import Testing

/// A result as the next request's reference (`submit --from`), against the
/// simulator over loopback: the saved bytes are what arrives (SHA-256 checked at
/// the server), and the history records where each task came from.
@Suite("Remix from the CLI: --from, lineage")
struct RemixCLITests {
    func saved(_ h: CLIHarness, _ sim: SimulatorServer) async throws -> (path: String, sha: String) {
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--n", "2", "--prompt", "a lighthouse", "--wait"],
                            env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await h.run(["show", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        let json = try JSONParser.parse(h.stdout)
        let second = try #require(json["results"]?.arrayValue?.last)
        let path = try #require(second["file"]?.stringValue ?? second["path"]?.stringValue)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return (path, SHA256.hex(Array(bytes)))
    }

    @Test("submit --from #1:1 uploads the saved file's bytes (the server's SHA-256 matches), keeps the model and size, and records the parent")
    func uploadsSavedBytes() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (_, sha) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "the same, at dusk", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("from #1 (picture 2): "))
        let remix = try #require(await sim.core.allTasks.last)
        #expect(remix.uploads == [sha], "the bytes that arrived are the saved file's")
        #expect(remix.taskType == "image2image" && remix.model == "gpt-image-2")
        #expect(await h.run(["show", "#2", "--json"], env: CLIHarness.env(sim)) == 0)
        let child = try JSONParser.parse(h.stdout)
        let parentID = try #require(await sim.core.allTasks.first?.id)
        #expect(child["parents"] == .array([.object([("local_id", 1), ("task_id", .string(parentID)), ("picture", 1),
                                                    ("sha256", .string(sha))])]))
        #expect(child["size"]?.stringValue == "1024x1024")
        #expect(await h.run(["show", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try JSONParser.parse(h.stdout)["children"] == .array([.object([("local_id", 2), ("picture", 1)])]))
        #expect(await h.run(["show", "#1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("Children    #2 (from picture 2)  (darkroom history --lineage 1)"))
        #expect(await h.run(["show", "#2"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("From        #1 (picture 2)  sha256 \(sha)"))
    }

    @Test("history --lineage prints the family tree; rerun of a remix uploads the same bytes again and is a child too")
    func treeAndRerun() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (_, sha) = try await saved(h, sim)
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "at dusk", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["submit", "--from", "#2", "--prompt", "at night", "--wait"], env: CLIHarness.env(sim)) == 0)
        #expect(await h.run(["rerun", "#2", "--wait"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(await sim.core.allTasks.last?.uploads == [sha])
        #expect(await h.run(["history", "--lineage", "#1"], env: CLIHarness.env(sim)) == 0)
        let lines = h.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(h.stdout)")
        #expect(lines[0].hasPrefix("#1  done  gpt-image-2  a lighthouse"))
        #expect(lines[1].hasPrefix("├─ #2 from picture 2  done  gpt-image-2  at dusk"))
        #expect(lines[2].hasPrefix("│  └─ #3 from picture 1  done  gpt-image-2  at night"))
        #expect(lines[3].hasPrefix("└─ #4 from picture 2  done  gpt-image-2  at dusk"))
        #expect(await h.run(["history", "--lineage", "#1", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.split(separator: "\n").count == 4)
    }

    @Test("a picture with no saved file and an expired link is a clear error, and nothing is sent; a picture that does not exist is named")
    func missingAndExpired() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let (path, _) = try await saved(h, sim)
        try FileManager.default.removeItem(atPath: path)
        // The saved file is gone: its link is tried (the server fetches it) while not known expired.
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "x", "--dry-run", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("\"images\"") || h.stdout.contains("\"image\""), "\(h.stdout)")
        // Known expired: refused before sending.
        // Known expired (a download tried again found the link gone): refused before sending.
        let store = try HistoryStore(path: h.home.path + "/data/darkroom/history.sqlite")
        #expect(try await store.recordDownloadFailure(localID: 1, index: 1, message: "the link has expired (403)", expired: true) == false)
        let before = await sim.core.submitCount
        #expect(await h.run(["submit", "--from", "#1:1", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("--from #1:1: picture 1 of #1 "), "\(h.stderr)")
        #expect(h.stderr.contains("and its link has expired; nothing was sent"), "\(h.stderr)")
        #expect(await sim.core.submitCount == before)
        #expect(await h.run(["submit", "--from", "#1:7", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("#1 has no picture 7 (it has 2: 0 to 1)"))
        #expect(await h.run(["submit", "--from", "#99", "--prompt", "x"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("no task #99 in history"))
    }
}
