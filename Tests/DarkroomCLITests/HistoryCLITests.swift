import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

@Suite("History commands, in-process")
struct HistoryCLITests {
    @Test("submit --wait saves the results into the data folder and history lists them")
    func submitThenHistory() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana2-1K", "--aspect-ratio", "9:16", "--prompt", "一只猫 on a roof 🎨", "--wait"], env: env) == 0)
        #expect(h.stderr.contains("saved \(h.home.path)/data/darkroom/results/1-task_"))
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x768", "--prompt", "[fail] lighthouse", "--wait"], env: env) == 1)
        #expect(await h.run(["history"]) == 0)
        let lines = h.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ID"))
        #expect(lines[1].contains("failed") && lines[1].contains("1024x768") && lines[1].contains("[fail] lighthouse"))
        #expect(lines[2].contains("done") && lines[2].contains("9:16") && lines[2].contains("一只猫") && lines[2].contains("/0.png"))
        #expect(await h.run(["history", "--search", "猫", "--json"]) == 0)
        let found = try JSONParser.parse(h.stdout)
        #expect(found["model"] == "NanoBanana2-1K")
        #expect(found["results"]?.arrayValue?.first?["state"] == "saved")
        #expect(await h.run(["history", "--status", "failed", "--json"]) == 0)
        #expect(h.stdout.split(separator: "\n").count == 1)
        #expect(await h.run(["history", "--status", "bogus"]) == 64)
    }

    @Test("show prints the request, the timeline and the saved files")
    func show() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "2048x1152", "--quality", "high", "--n", "2",
                             "--prompt", "line one\nline two", "--wait", "--json"], env: CLIHarness.env(sim)) == 0)
        let id = try #require(try JSONParser.parse(h.stdout)["task_id"]?.stringValue)
        #expect(await h.run(["show", id]) == 0)
        let out = h.stdout
        #expect(out.contains("Status      done"))
        #expect(out.contains("Parameters  size 2048x1152, quality high, n 2, format png"))
        #expect(out.contains("  line one\n  line two"))
        #expect(out.contains("Timeline"))
        #expect(out.contains("sending"))
        #expect(out.contains("[1] saved"))
        #expect(await h.run(["show", "#1", "--json"]) == 0)
        #expect(try JSONParser.parse(h.stdout)["task_id"]?.stringValue == id)
        #expect(await h.run(["show", "nope"]) == 64)
    }

    @Test("download copies the saved files, and fetches them again when missing")
    func download() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--wait", "--json"], env: env) == 0)
        let record = try JSONParser.parse(h.stdout)
        let id = try #require(record["task_id"]?.stringValue)
        let saved = try #require(record["results"]?.arrayValue?.first?["path"]?.stringValue)
        try FileManager.default.removeItem(atPath: saved)
        let dest = h.home.appendingPathComponent("out").path
        #expect(await h.run(["download", id, "--to", dest], env: env) == 0, "\(h.stderr)")
        #expect(h.stdout == "\(dest)/1-\(id)-0.png\n")
        #expect(FileManager.default.fileExists(atPath: saved))
        #expect(ImageSniffer.format(of: Array(try Data(contentsOf: URL(fileURLWithPath: "\(dest)/1-\(id)-0.png")))) == .png)
    }

    @Test("submit --no-download keeps the URL and watch saves it later")
    func watchPicksUp() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "later", "--json"], env: env) == 0)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "[fail] later", "--json"], env: env) == 0)
        #expect(await h.run(["watch"], env: env) == 1)
        #expect(h.stderr.contains("watching 2 tasks"))
        #expect(h.stdout.contains("/results/1-task_"))
        #expect(await h.run(["watch"], env: env) == 0)
        #expect(h.stderr.contains("nothing to watch"))
    }

    @Test("watch --json streams one object per change")
    func watchJSON() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "stream", "--json", "--no-download"], env: env) == 0)
        let id = try #require(try JSONParser.parse(h.stdout)["task_id"]?.stringValue)
        #expect(await h.run(["watch", id, "--json", "--no-download"], env: env) == 0)
        let objects = try h.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(objects.count >= 2, "\(h.stdout)")
        #expect(objects.allSatisfy { $0["task_id"]?.stringValue == id })
        #expect(objects.last?["status"] == "succeeded")
        #expect(h.stderr.isEmpty)
    }

    @Test("rerun submits a past request again as a new task")
    func rerun() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "again", "--json"], env: env) == 0)
        #expect(await h.run(["rerun", "1", "--wait", "--json"], env: env) == 0)
        let r = try JSONParser.parse(h.stdout)
        #expect(r["local_id"] == 2)
        #expect(r["prompt"] == "again")
        #expect(r["status"] == "succeeded")
        #expect(await sim.core.submitCount == 2)
    }

    @Test("a second server that hands out an id already seen: both tasks kept, each with its own pictures")
    func repeatedIDAcrossServers() async throws {
        let h = CLIHarness()
        let first = try await h.startSimulator()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "on the first server", "--wait", "--json"],
                            env: CLIHarness.env(first)) == 0)
        let one = try JSONParser.parse(h.stdout)
        let gone = try await first.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        // A restarted server (same seed): its first task has the same id.
        let second = try await h.startSimulator()
        defer { Task { await second.stop() } }
        #expect(second.baseURL != first.baseURL)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "on the second server", "--wait", "--json"],
                            env: CLIHarness.env(second)) == 0, "\(h.stderr)")
        let two = try JSONParser.parse(h.stdout)
        let id = try #require(one["task_id"]?.stringValue)
        #expect(two["task_id"]?.stringValue == id)
        #expect(one["local_id"] == 1 && two["local_id"] == 2)
        let paths = [one, two].compactMap { $0["results"]?.arrayValue?.first?["path"]?.stringValue }
        #expect(paths.count == 2 && paths[0] != paths[1])
        #expect(paths[1].contains("/results/2-\(id)/"))
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        // Named by its id alone, the task is ambiguous: the CLI asks for the local id.
        #expect(await h.run(["show", id]) == 64)
        #expect(h.stderr.contains("#1 on \(first.baseURL.absoluteString)") && h.stderr.contains("#2 on \(second.baseURL.absoluteString)"))
        #expect(await h.run(["show", "2"]) == 0)
        #expect(h.stdout.contains("on the second server"))
    }

    @Test("download --force after the links died keeps the saved file, says so, and exits 2")
    func forceDownloadKeepsTheCopy() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "keep it", "--wait", "--json"], env: env) == 0)
        let path = try #require(try JSONParser.parse(h.stdout)["results"]?.arrayValue?.first?["path"]?.stringValue)
        let gone = try await sim.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        #expect(await h.run(["download", "1", "--force"], env: env) == 2)
        #expect(h.stderr.contains("error: result 0 of #1: re-download failed: "))
        #expect(h.stderr.contains("; the saved copy is kept: \(path)"))
        #expect(h.stdout == "\(path)\n", "the kept file is still listed")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(await h.run(["show", "1", "--json"]) == 0)
        let shown = try JSONParser.parse(h.stdout)
        #expect(shown["results"]?.arrayValue?.first?["state"] == "saved")
        #expect(shown["results"]?.arrayValue?.first?["error"]?.stringValue?.hasPrefix("re-download failed: ") == true)
    }
}

extension HistoryCLITests {
    @Test("watch '#1' watches local task #1 by its server id, never a new task named '#1'; rerun and show read '#1' the same way")
    func hashIsLocal() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a hash", "--no-download", "--json"], env: env) == 0)
        let id = try #require(try JSONParser.parse(h.stdout)["task_id"]?.stringValue)
        #expect(await h.run(["watch", "#1", "--no-download"], env: env) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("watching 1 task"))
        #expect(await h.run(["history", "--json"], env: env) == 0)
        let rows = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(rows.count == 1, "no second row for '#1': \(rows.map { $0["task_id"]?.stringValue ?? "-" })")
        #expect(rows.first?["task_id"]?.stringValue == id && rows.first?["status"] == "succeeded")
        #expect(await h.run(["watch", "#7"], env: env) == 64)
        #expect(h.stderr.contains("no task #7"))
    }
}

extension HistoryCLITests {
    @Test("a damaged history (exit 73) says what to do next: move it aside; the pictures stay")
    func damagedHistory() async throws {
        let h = CLIHarness()
        let data = h.home.appendingPathComponent("data/darkroom")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: data.appendingPathComponent("history.sqlite"))
        let status = await h.run(["history"])
        #expect(status == 73, "\(status): \(h.stderr)")
        #expect(h.stderr.contains("the file is damaged") && h.stderr.contains("Move it aside") && h.stderr.contains("pictures"), "\(h.stderr)")
    }
}

extension HistoryCLITests {
    @Test("history --help names every state a task's JSON may show, waiting and intent included; --status takes each")
    func stateVocabulary() async throws {
        let h = CLIHarness()
        _ = await h.run(["history", "--help"])
        let help = (h.stdout + h.stderr).replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for s in TaskState.allCases { #expect(help.contains(s.rawValue), "\(s.rawValue) not in --help") }
        for s in TaskState.allCases { #expect(await h.run(["history", "--status", s.rawValue]) == 0, "\(s.rawValue): \(h.stderr)") }
    }
}
