import DarkroomCore
import Foundation
import Testing

/// `submit` with several values and prompt alternatives, over loopback against the simulator.
@Suite("Several ways at once from the CLI")
struct MatrixCLITests {
    let args = ["submit", "--model", "gpt-image-2", "--model", "NanoBanana2-1K", "--size", "1024x1024", "--size", "1536x1024",
                "--prompt", "a {red|blue} fox in fog"]

    @Test("--dry-run lists every request (JSON lines with --json) and the total, sends nothing, and says what was mapped")
    func dryRun() async throws {
        let h = CLIHarness()
        #expect(await h.run(args + ["--dry-run", "--json"]) == 0, "\(h.stderr)")
        let lines = h.stdout.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        // Per prompt: gpt-image-2 at two sizes, NanoBanana2-1K at the two sizes' ratios (1:1, 3:2).
        #expect(lines.count == 8)
        #expect(lines.compactMap { $0?["model"]?.stringValue }.filter { $0 == "NanoBanana2-1K" }.count == 4)
        #expect(lines.compactMap { $0?["aspect_ratio"]?.stringValue }.sorted() == ["1:1", "1:1", "3:2", "3:2"])
        #expect(lines.compactMap { $0?["prompt"]?.stringValue }.filter { $0 == "a blue fox in fog" }.count == 4)
        #expect(h.stderr.contains("NanoBanana2-1K takes no size: 1536x1024 sent as 3:2"))
        #expect(h.stderr.contains("8 requests (2 prompts × 2 models × 2 shapes), 8 billable units; nothing was sent (--dry-run)"))
        #expect(!FileManager.default.fileExists(atPath: h.home.appendingPathComponent("data/darkroom/history.sqlite").path))
    }

    @Test("over 4 requests without a terminal, --yes is required: exit 64, nothing sent")
    func needsYes() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(args, env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("8 requests (2 prompts × 2 models × 2 shapes), 8 billable units") && h.stderr.contains("add --yes to send them (nothing was sent"))
        #expect(await h.run(["history", "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.isEmpty)
    }

    @Test("--yes --wait sends each request once, one after another, and watches them all to the end")
    func sendsAll() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(args + ["--yes", "--wait", "--json"], env: env) == 0, "\(h.stderr)")
        let records = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(records.count == 8)
        #expect(records.allSatisfy { $0["status"]?.stringValue == "succeeded" })
        #expect(Set(records.compactMap { $0["task_id"]?.stringValue }).count == 8)
        #expect(await h.run(["history", "--json"], env: env) == 0)
        #expect(h.stdout.split(separator: "\n").count == 8)
    }

    @Test("one invalid request stops them all before anything is sent, naming it; bad alternatives too")
    func invalid() async throws {
        let h = CLIHarness()
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--size", "999x999", "--prompt", "x", "--dry-run"]) == 64)
        #expect(h.stderr.contains("request 2 (gpt-image-2 999x999: x): --size:"))
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "a {red|blue fox", "--dry-run"]) == 64)
        #expect(h.stderr.contains("--prompt: the group opened at character 3 has no closing }"))
        // One request: the strict rules as before (no mapping).
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--aspect-ratio", "16:9", "--prompt", "x", "--dry-run"]) == 64)
    }

    @Test("max_concurrent_submits in the config sets the queue; a run of 8 at one at a time still sends each once")
    func configuredLimit() async throws {
        let h = CLIHarness()
        try h.writeConfig("max_concurrent_submits = 1\n")
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(args + ["--yes", "--json"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        #expect(Set(h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["task_id"]?.stringValue }).count == 8)
        #expect(throws: ConfigError.invalidFile("max_concurrent_submits must be a whole number from 1 to 8")) {
            try ConfigFile.parse("max_concurrent_submits = 9\n")
        }
    }

    @Test("a run is kept in the history: its tasks name it, history --run lists them, show names it, rerun --run sends it again as a new run")
    func runs() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(args + ["--yes"], env: env) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("run #1: 8 requests (darkroom history --run 1)"))
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "alone"], env: env) == 0)
        #expect(await h.run(["history", "--run", "1", "--json"], env: env) == 0)
        let listed = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(listed.count == 8 && listed.allSatisfy { $0["run"]?.intValue == 1 })
        #expect(await h.run(["show", "#9", "--json"], env: env) == 0)
        #expect(try JSONParser.parse(h.stdout)["run"] == .null, "a single submit has no run")
        #expect(await h.run(["show", "#1"], env: env) == 0)
        #expect(h.stdout.contains("Run         #1 (darkroom history --run 1)"))
        #expect(await h.run(["rerun", "--run", "1"], env: env) == 64, "8 requests need --yes without a terminal")
        #expect(await h.run(["rerun", "--run", "1", "--yes", "--json"], env: env) == 0, "\(h.stderr)")
        let again = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(again.count == 8 && again.allSatisfy { $0["run"]?.intValue == 2 })
        // In the same order as the first run.
        #expect(again.compactMap { $0["prompt"]?.stringValue } == listed.reversed().compactMap { $0["prompt"]?.stringValue })
        #expect(await h.run(["rerun", "--run", "7"], env: env) == 64)
        #expect(h.stderr.contains("there is no run #7"))
    }
}
