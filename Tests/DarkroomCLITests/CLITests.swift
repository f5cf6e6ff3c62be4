import DarkroomCLI
import DarkroomCore
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

@Suite("The CLI, run in-process against the simulator")
struct CLITests {
    @Test("models --json lists every model with the documented keys")
    func modelsJSON() async throws {
        let h = CLIHarness()
        #expect(await h.run(["models", "--json"]) == 0)
        let json = try JSONParser.parse(h.stdout)
        let models = try #require(json.arrayValue)
        #expect(models.count == 10)
        let gpt = try #require(models.last)
        #expect(gpt["id"] == "gpt-image-2")
        #expect(gpt["tier"] == .null)
        #expect(gpt["max_n"] == 8)
        #expect(gpt["qualities"] == ["low", "medium", "high"])
        #expect(gpt["sizes"]?.arrayValue?.count == 48)
        #expect(gpt["sizes"]?.arrayValue?.first == .object([("size", "1024x768"), ("width", 1024), ("height", 768), ("ratio", "4:3"),
                                                             ("approximate", false), ("orientation", "Landscape"), ("tier", "1K")]))
        #expect(models[1]["tier"] == "0.5K")
        #expect(models[1]["sizes"] == [])
        #expect(models[1]["output_formats"] == ["png", "jpeg"])
    }

    @Test("models prints a readable table with the sizes by tier")
    func modelsText() async {
        let h = CLIHarness()
        #expect(await h.run(["models"]) == 0)
        #expect(h.stdout.contains("NanoBananaPro-8K"))
        #expect(h.stdout.contains("3840x1648  21:9 (approx.)"))
    }

    @Test("submit --wait prints the result URLs and exits 0 when the task succeeds")
    func submitWait() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let code = await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x768", "--quality", "low", "--format", "webp",
                                "--prompt", "A small blue glass sphere", "--wait"], env: CLIHarness.env(sim))
        #expect(code == 0, "\(h.stderr)")
        #expect(h.stdout.hasPrefix(sim.baseURL.absoluteString + "/files/task_"))
        #expect(h.stderr.contains("submitted task_"))
        #expect(h.stderr.contains("succeeded with 1 result"))
        #expect(h.stderr.contains("running"))
        #expect(await sim.core.submitCount == 1)
    }

    @Test("submit --wait --json prints exactly one JSON object and exits 1 when the task fails")
    func submitFails() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let code = await h.run(["submit", "--model", "NanoBanana2-0.5K", "--aspect-ratio", "16:9", "--prompt", "[fail] a cube",
                                "--wait", "--json"], env: CLIHarness.env(sim))
        #expect(code == 1)
        let lines = h.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let obj = try JSONParser.parse(String(lines[0]))
        #expect(obj["status"] == "failed")
        #expect(obj["error"]?.stringValue?.contains("content policy") == true)
        #expect(obj["model"] == "NanoBanana2-0.5K")
        #expect(obj["aspect_ratio"] == "16:9")
    }

    @Test("an invalid request exits 64, lists every problem and sends nothing")
    func invalid() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let code = await h.run(["submit", "--model", "gpt-image-2", "--aspect-ratio", "16:9", "--n", "12", "--prompt", "x"], env: CLIHarness.env(sim))
        #expect(code == 64)
        #expect(h.stderr.hasPrefix("error: the request is not valid; nothing was sent:"))
        #expect(h.stderr.contains("--size: gpt-image-2 needs a size"))
        #expect(h.stderr.contains("--aspect-ratio:"))
        #expect(h.stderr.contains("--n: n must be between 1 and 8 (got 12)"))
        #expect(h.stdout.isEmpty)
        #expect(await sim.core.submitCount == 0)
    }

    @Test("without --model, the default model of the profile the config chooses (default_profile) is used")
    func profileDefaultModel() async throws {
        let h = CLIHarness()
        try h.writeConfig("""
            default_profile = "work"
            [profiles.work]
            default_model = "NanoBanana"
            [profiles.other]
            default_model = "NanoBananaPro-2K"
            """)
        #expect(await h.run(["submit", "--prompt", "x", "--dry-run", "--json"]) == 0)
        #expect(try JSONParser.parse(h.stdout)["model"] == "NanoBanana")
        #expect(await h.run(["submit", "--prompt", "x", "--dry-run", "--json", "--profile", "other"]) == 0)
        #expect(try JSONParser.parse(h.stdout)["model"] == "NanoBananaPro-2K")
    }

    @Test("an empty DARKROOM_MODEL or DARKROOM_PROFILE is unset for submit, as for every other command")
    func emptyVariablesAreUnset() async throws {
        let h = CLIHarness()
        try h.writeConfig("""
            default_profile = "work"
            [profiles.work]
            default_model = "NanoBanana"
            """)
        #expect(await h.run(["submit", "--prompt", "x", "--dry-run", "--json"], env: ["DARKROOM_MODEL": "", "DARKROOM_PROFILE": ""]) == 0,
                "\(h.stderr)")
        #expect(try JSONParser.parse(h.stdout)["model"] == "NanoBanana")
    }

    @Test("--dry-run prints the body and --curl a command, with no key and no request")
    func dryRunAndCurl() async throws {
        let h = CLIHarness(stdin: "A small red cube on a clean white desk\n")
        #expect(await h.run(["submit", "--model", "NanoBanana2-0.5K", "--aspect-ratio", "1:1", "--prompt", "-", "--dry-run", "--json"]) == 0)
        #expect(try JSONParser.parse(h.stdout) == .object([
            ("model", "NanoBanana2-0.5K"), ("task_type", "text2image"), ("prompt", "A small red cube on a clean white desk"),
            ("aspect_ratio", "1:1"), ("output_format", "png"), ("n", 1), ("response_format", "url"),
            // darkroom's own record of a style (none here), never sent.
            ("style", .null),
        ]))
        let env = ["DARKROOM_BASE_URL": "https://api.example.com", "DARKROOM_API_KEY": "sk-never-shown-0001"]
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "x", "--curl"], env: env) == 0)
        #expect(h.stdout.contains("curl -X POST 'https://api.example.com/v1/images/tasks'"))
        #expect(h.stdout.contains("$DARKROOM_API_KEY"))
        #expect(!h.stdout.contains("sk-never-shown"))
    }

    @Test("status queries once and prints the task")
    func status() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--json"], env: CLIHarness.env(sim)) == 0)
        let id = try #require(try JSONParser.parse(h.stdout)["task_id"]?.stringValue)
        h.time.advance(by: .seconds(120))
        #expect(await h.run(["status", id, "--json"], env: CLIHarness.env(sim)) == 0)
        #expect(try JSONParser.parse(h.stdout)["status"] == "succeeded")
        #expect(await h.run(["status", "task_missing"], env: CLIHarness.env(sim)) == 69)
        #expect(h.stderr.hasPrefix("error: the server does not know this task"))
    }

    @Test("exits 69 with a clear message when the server refuses the key or is not there")
    func unavailable() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.apiKey = "sk-the-only-key" }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: env) == 69)
        #expect(h.stderr.contains("error: the server refused the API key (401"))
        #expect(!h.stderr.contains("sk-cli-test-key"))
        let gone = try await sim.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        #expect(await h.run(["status", "task_x"], env: env) == 69)
        #expect(h.stderr.contains("error: cannot reach the server"))
    }

    @Test("exits 64 naming what to set when there is no configuration")
    func noConfig() async {
        let h = CLIHarness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"]) == 64)
        #expect(h.stderr.contains("no base URL: pass --base-url, set DARKROOM_BASE_URL"))
        #expect(await h.run(["status", "t", "--base-url", "http://example.com"], env: ["DARKROOM_API_KEY": "sk-1"]) == 64)
        #expect(h.stderr.contains("--allow-insecure-http"))
    }

    @Test("reads the key from standard input with --api-key-stdin")
    func keyFromStdin() async throws {
        let h = CLIHarness(stdin: "sk-the-only-key\n")
        let sim = try await h.startSimulator { $0.apiKey = "sk-the-only-key" }
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--api-key-stdin", "--base-url", sim.baseURL.absoluteString]) == 0)
        #expect(h.stdout.contains("queued"))
    }

    @Test("shows a live progress line on a terminal")
    func liveLine() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--wait"], env: CLIHarness.env(sim), stderrIsTTY: true) == 0)
        #expect(h.stderr.contains("\r\u{1B}[2K"))
    }

    @Test("a bad flag exits 64 with usage")
    func badFlag() async {
        let h = CLIHarness()
        #expect(await h.run(["submit", "--bogus"]) == 64)
        #expect(h.stderr.contains("Usage:") || h.stderr.contains("Error:"))
    }
}
