import DarkroomCore
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
        #expect(h.stderr.contains("not sent: they wait in run #1 (darkroom run resume 1 sends them"), "\(h.stderr)")
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
