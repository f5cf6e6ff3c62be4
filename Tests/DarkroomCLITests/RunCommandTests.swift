import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomSimulator
import Foundation
import Testing

/// `darkroom run resume|pause|cancel` over loopback against the simulator.
@Suite("The requests of a run not sent yet, from the CLI")
struct RunCommandTests {
    let args = ["submit", "--model", "NanoBanana", "--prompt", "a {red|blue|green} fox", "--yes"]

    /// A simulator that takes only `CLIHarness.env`'s key, and an environment with another one.
    func refusing() async throws -> (CLIHarness, SimulatorServer, [String: String]) {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.apiKey = "sk-cli-test-key-0042" }
        var wrong = CLIHarness.env(sim)
        wrong["DARKROOM_API_KEY"] = "sk-cli-wrong-key-0001"
        return (h, sim, wrong)
    }

    @Test("a refused key stops the run: the rest is paused (exit 69); resumed with the key fixed, each is sent once")
    func refusedThenResumed() async throws {
        let (h, sim, wrong) = try await refusing()
        defer { Task { await sim.stop() } }
        #expect(await h.run(args, env: wrong) == 69, "\(h.stderr)")
        #expect(h.stderr.contains("not sent (") && h.stderr.contains("they wait in run #1 (darkroom run resume 1 sends them"), "\(h.stderr)")
        #expect(await h.run(["history", "--run", "1", "--json"], env: wrong) == 0)
        let before = h.stdout.split(separator: "\n").compactMap { (try? JSONParser.parse(String($0)))?["status"]?.stringValue }
        #expect(before.filter { $0 == "paused" }.count + before.filter { $0 == "submit_failed" }.count == 3, "\(before)")

        #expect(await h.run(["run", "resume", "1", "--wait", "--json"], env: CLIHarness.env(sim)) == 0, "\(h.stderr)")
        let resumed = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(!resumed.isEmpty && resumed.allSatisfy { $0["status"]?.stringValue == "succeeded" })
        #expect(await h.run(["run", "resume", "1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stderr.contains("run #1 has no paused request"))
        #expect(await sim.core.submitCount == before.filter { $0 == "paused" }.count, "only the paused ones reached the server with the right key")
    }

    @Test("cancel drops what was not sent (never sent after); pause and cancel of an unknown run are exit 64")
    func cancelAndUnknown() async throws {
        let (h, sim, wrong) = try await refusing()
        defer { Task { await sim.stop() } }
        #expect(await h.run(args, env: wrong) == 69)
        #expect(await h.run(["run", "cancel", "1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stderr.contains("request") && h.stderr.contains("cancelled"), "\(h.stderr)")
        #expect(await h.run(["run", "resume", "1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stderr.contains("no paused request"))
        #expect(await sim.core.submitCount == 0)
        #expect(await h.run(["history", "--run", "1"], env: CLIHarness.env(sim)) == 0)
        #expect(h.stdout.contains("cancelled"))
        #expect(await h.run(["run", "pause", "9"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("there is no run #9"))
        #expect(await h.run(["run", "cancel", "9"], env: CLIHarness.env(sim)) == 64)
    }
}

extension RunCommandTests {
    /// The harness's history, opened beside the CLI (as another darkroom would).
    func store(_ h: CLIHarness) throws -> HistoryStore {
        try HistoryStore(path: h.home.appendingPathComponent("data/darkroom/history.sqlite").path)
    }

    @Test("run resume tells the truth: cancelled requests are said as cancelled; --wait with nothing sent is not exit 0; with what was sent, it waits for it")
    func resumeTellsTheTruth() async throws {
        let (h, sim, wrong) = try await refusing()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(args, env: wrong) == 69)
        // Another process cancels what waits.
        let other = try store(h)
        let left = try await other.unsent(run: 1)
        #expect(try await other.moveUnsent(left.map(\.localID), to: .cancelled).count == left.count)
        #expect(await h.run(["run", "resume", "1"], env: env) == 0)
        #expect(h.stderr.contains("run #1 has no paused request: \(left.count) \(left.count == 1 ? "was" : "were") cancelled (never sent); nothing of it was sent"),
                "\(h.stderr)")
        #expect(await h.run(["run", "resume", "1", "--wait"], env: env) == 64, "nothing to wait for: not 0")

        // A run whose requests were all sent: --wait follows them to their end.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a {red|blue} owl", "--no-download"], env: env) == 0, "\(h.stderr)")
        #expect(await h.run(["run", "resume", "2", "--wait"], env: env) == 0, "\(h.stderr)")
        #expect(h.stderr.contains("run #2 has no paused request; 2 of 2 were sent"), "\(h.stderr)")
        #expect(await h.run(["history", "--run", "2", "--json"], env: env) == 0)
        #expect(h.stdout.split(separator: "\n").compactMap { (try? JSONParser.parse(String($0)))?["status"]?.stringValue }.allSatisfy { $0 == "succeeded" })
    }

    @Test("run resume of requests made for another endpoint names it and sends nothing here (exit 64)")
    func resumeElsewhere() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let other = try store(h)
        let run = try await other.createRun(expression: "x", axes: [], size: 2)
        let r = ImageRequest(model: "NanoBanana", prompt: "made elsewhere")
        let ids = try await other.recordWaiting([(r, try RequestValidator.validate(r).get())], profile: "work", endpoint: "http://127.0.0.1:9/", run: run)
        try await other.moveUnsent(ids, to: .paused)
        #expect(await h.run(["run", "resume", String(run)], env: CLIHarness.env(sim)) == 64, "\(h.stderr)")
        #expect(h.stderr.contains("made for http://127.0.0.1:9"), "\(h.stderr)")
        #expect(await sim.core.submitCount == 0)
    }
}
