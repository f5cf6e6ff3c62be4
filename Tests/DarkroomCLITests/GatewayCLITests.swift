import DarkroomCLI
import DarkroomCore
import DarkroomSimulator
import Foundation
import Testing

/// The gateway around the API, from the CLI: the models a key may use, what is
/// left, prices and the budget, against the simulator over loopback, with the
/// simulator's keys that differ (`sk-limited-`, `sk-small-`, `sk-unlimited-`, `sk-expired-`).
@Suite("CLI and the gateway: models, balance, prices, budget")
struct GatewayCLITests {
    func env(_ sim: SimulatorServer, key: String) -> [String: String] {
        ["DARKROOM_BASE_URL": sim.baseURL.absoluteString, "DARKROOM_API_KEY": key]
    }

    @Test("models: the first asks the server and marks what the key may not use; the next reads the kept list; --refresh asks again")
    func modelsMerged() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-limited-cli-0001")
        #expect(await h.run(["models"], env: e) == 0, "\(h.stderr)")
        let line = { (id: String) in h.stdout.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? "" }
        #expect(line("NanoBanana2-1K").contains(" yes "))
        #expect(line("NanoBananaPro-8K").contains(" NO "))
        #expect(h.stdout.contains("Which models the key may use: GET /v1/models, asked "))
        let asked = await sim.core.gatewayCount
        #expect(await h.run(["models", "--json"], env: e) == 0)
        #expect(await sim.core.gatewayCount == asked, "the kept list is used: nothing asked")
        let json = try JSONParser.parse(h.stdout)
        let pro = try #require(json.arrayValue?.first { $0["id"]?.stringValue == "NanoBananaPro-8K" })
        #expect(pro["availability"]?.stringValue == "unavailable")
        #expect(pro["availability_source"]?["route"]?.stringValue == "GET /v1/models")
        #expect(pro["availability_source"]?["cached"] == .bool(true))
        #expect(pro["price_per_image"]?.doubleValue == 0.3)
        #expect(pro["price_source"]?.stringValue == "server prices")
        #expect(await h.run(["models", "--refresh", "--json"], env: e) == 0)
        #expect(await sim.core.gatewayCount > asked)
        let again = try JSONParser.parse(h.stdout)
        #expect(again.arrayValue?.first?["availability_source"]?["cached"] == .bool(false))
    }

    @Test("models: a model the server offers without rules in darkroom is listed as such; chat models are counted, not offered")
    func serverOnly() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["models"], env: env(sim, key: "sk-standard-cli-0001")) == 0)
        #expect(h.stdout.contains("The server also offers (darkroom has no rules for them; send with --allow-unknown-model):\n  seedream-4  $0.030 per image"))
        #expect(h.stdout.contains("(and 1 model that does not make images: gpt-4o-mini)"))
        #expect(await h.run(["submit", "--model", "seedream-4", "--prompt", "a kite", "--allow-unknown-model"], env: env(sim, key: "sk-standard-cli-0001")) == 0,
                "\(h.stderr)")
    }

    @Test("models without a profile: the catalog, not checked, and why")
    func noProfile() async throws {
        let h = CLIHarness()
        #expect(await h.run(["models"]) == 0)
        #expect(h.stdout.contains("NanoBananaPro-8K") && h.stdout.contains("not checked"))
        #expect(h.stderr.contains("not checked with a server"))
    }

    @Test("a model the key may not use is refused before sending (exit 64); sent anyway with --allow-unknown-model, the gateway's 403 is exit 77")
    func refusedBeforeSending() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-limited-cli-0002")
        #expect(await h.run(["models"], env: e) == 0)
        #expect(await h.run(["submit", "--model", "NanoBananaPro-4K", "--prompt", "x"], env: e) == 64)
        #expect(h.stderr.contains("--model: this key may not use NanoBananaPro-4K: the server's list of its models leaves it out"))
        #expect(h.stderr.contains("It may use NanoBanana, NanoBanana2-1K, gpt-image-2"))
        #expect(await h.run(["submit", "--model", "NanoBananaPro-4K", "--model", "NanoBanana", "--prompt", "x", "--yes"], env: e) == 64)
        #expect(h.stderr.contains("request 1 (NanoBananaPro-4K"))
        #expect(await sim.core.submitCount == 0)
        #expect(await h.run(["submit", "--model", "NanoBananaPro-4K", "--prompt", "x", "--allow-unknown-model"], env: e) == 77)
        #expect(h.stderr.contains("this key may not use this model (403: This token has no access to model NanoBananaPro-4K"))
        #expect(await sim.core.allTasks.isEmpty)
    }

    @Test("balance: dollars with the raw quota units, the conversion and the source; --json; unlimited; routes off is exit 69")
    func balance() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["balance"], env: env(sim, key: "sk-standard-cli-0003")) == 0, "\(h.stderr)")
        #expect(h.stdout.hasPrefix("$20.00 left\nquota units: 10,000,000 granted, 0 used, 10,000,000 available (500,000 units = $1)\nfrom GET /api/usage/token/ at "))
        #expect(await h.run(["submit", "--model", "NanoBananaPro-2K", "--prompt", "x", "--n", "2"], env: env(sim, key: "sk-standard-cli-0003")) == 0)
        #expect(await h.run(["balance", "--json"], env: env(sim, key: "sk-standard-cli-0003")) == 0)
        let json = try JSONParser.parse(h.stdout)
        #expect(json["dollars_left"]?.doubleValue == 19.76)
        #expect(json["quota_units"]?["used"]?.intValue == 120_000)
        #expect(json["units_per_dollar"]?.intValue == 500_000)
        #expect(json["source"]?.stringValue == "GET /api/usage/token/")
        #expect(json["fresh"] == .bool(true))
        #expect(await h.run(["balance"], env: env(sim, key: "sk-unlimited-cli-0003")) == 0)
        #expect(h.stdout.hasPrefix("unlimited\n"))
        let off = try await h.startSimulator { $0.gateway = .off }
        defer { Task { await off.stop() } }
        #expect(await h.run(["balance"], env: env(off, key: "sk-standard-cli-0003")) == 69)
        #expect(h.stderr.contains("the server does not say what is left on the key (GET /api/usage/token/: not served here (404: Invalid URL"))
        #expect(await h.run(["balance", "--json"], env: env(off, key: "sk-standard-cli-0003")) == 69)
        #expect(try JSONParser.parse(h.stdout)["error"]?.stringValue == "the server does not say what is left on the key")
    }

    @Test("--dry-run prices from the server without a [prices] table; a [prices] table still wins; each says where its prices came from")
    func dryRunPrices() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-standard-cli-0004")
        #expect(await h.run(["models"], env: e) == 0)
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--n", "2", "--prompt", "x", "--dry-run"], env: e) == 0)
        #expect(h.stderr.contains("1 request, 2 billable units, ≈ $0.080 from server prices; nothing was sent (--dry-run)"), "\(h.stderr)")
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--model", "NanoBanana", "--size", "1024x1024", "--prompt", "x", "--dry-run"], env: e) == 0)
        #expect(h.stderr.contains("2 requests (2 models), 2 billable units, ≈ $0.060 from server prices; nothing was sent"), "\(h.stderr)")
        try h.writeConfig("[prices]\nNanoBanana = 0.5\n")
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--model", "NanoBanana", "--size", "1024x1024", "--prompt", "x", "--dry-run"], env: e) == 0)
        #expect(h.stderr.contains("≈ $0.54 from server prices and [prices]"), "\(h.stderr)")
        #expect(await sim.core.submitCount == 0)
    }

    @Test("max_run_cost: a run over it is refused with the numbers (exit 64, nothing sent); --over-budget sends it")
    func budget() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-standard-cli-0005")
        try h.writeConfig("max_run_cost = 0.10\n")
        #expect(await h.run(["models"], env: e) == 0)
        let args = ["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "a {red|green|blue} kite", "--yes"]
        #expect(await h.run(args, env: e) == 64)
        #expect(h.stderr.contains("this run of 3 requests is estimated at $0.12, over max_run_cost ($0.10); nothing was sent. Send less, raise max_run_cost, or add --over-budget"), "\(h.stderr)")
        #expect(await h.run(args + ["--dry-run"], env: e) == 0)
        #expect(h.stderr.contains("warning: this run of 3 requests is estimated at $0.12, over max_run_cost ($0.10): without --dry-run it is refused"), "\(h.stderr)")
        #expect(await sim.core.submitCount == 0)
        #expect(await h.run(args + ["--over-budget"], env: e) == 0, "\(h.stderr)")
        #expect(await sim.core.allTasks.count == 3)
        // One request over the limit: the same rule.
        #expect(await h.run(["submit", "--model", "NanoBananaPro-8K", "--prompt", "x"], env: e) == 64)
        #expect(h.stderr.contains("this request is estimated at $0.30, over max_run_cost ($0.10)"))
    }

    @Test("a run over the key's last known balance is refused too, with the balance's time")
    func overBalance() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-small-cli-0006")
        #expect(await h.run(["models"], env: e) == 0, "the prices")
        #expect(await h.run(["balance"], env: e) == 0)
        #expect(await h.run(["submit", "--model", "NanoBananaPro-1K", "--n", "2", "--prompt", "x"], env: e) == 64)
        #expect(h.stderr.contains("this request is estimated at $0.18, over the key's balance ($0.10 left) (balance as of "), "\(h.stderr)")
        #expect(h.stderr.contains("nothing was sent. Send less, top up, or add --over-budget"), "\(h.stderr)")
    }

    @Test("a key that runs out in the middle of a run: the rest waits, paused, and the CLI says so in words (exit 77)")
    func quotaMidRun() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let e = env(sim, key: "sk-small-cli-0007")
        // No balance kept yet: the budget cannot stop it; the gateway does.
        let status = await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "kite {1|2|3|4|5}", "--yes"],
                                 env: e)
        #expect(status == 77, "\(h.stderr)")
        #expect(await sim.core.allTasks.count == 2)
        #expect(h.stderr.contains("this key's own quota is used up (403 pre_consume_token_quota_failed: token quota is not enough"))
        #expect(h.stderr.contains("the key's quota is used up ($0.020 left): top up, then `darkroom run resume 1` sends the "), "\(h.stderr)")
        #expect(h.stderr.contains("go again with `darkroom rerun ID`"), "\(h.stderr)")
        #expect(h.stderr.contains("not sent") && h.stderr.contains("darkroom run resume 1"))
    }

    @Test("an expired key: exit 77 and the gateway's words")
    func expired() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: env(sim, key: "sk-expired-cli-0008")) == 77)
        #expect(h.stderr.contains("the API key has expired (401: 该令牌已过期"))
    }
}
