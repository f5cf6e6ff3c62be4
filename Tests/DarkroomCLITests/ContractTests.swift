import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// What a script can rely on: exit codes, JSON, messages. In-process CLI over
/// loopback, against the simulator or a server scripted to misbehave.
@Suite("The CLI's contract with scripts")
struct ContractTests {
    static let png = Array(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwSYGBgYAC7sA/3CKS6JAAAAAElFTkSuQmCC")!)

    static func env(_ server: ScriptedHTTPServer) -> [String: String] {
        ["DARKROOM_BASE_URL": server.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-contract-test-0001"]
    }

    @Test("--json shows the quality and format that were sent, and which were defaults")
    func sentValues() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1024x1024", "--prompt", "x", "--json"], env: env) == 0)
        let gpt = try JSONParser.parse(h.stdout)
        #expect(gpt["quality"] == "medium" && gpt["output_format"] == "png")
        #expect(gpt["defaulted"] == .array(["quality", "output_format"]))
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "y", "--format", "jpeg", "--json"], env: env) == 0)
        let nano = try JSONParser.parse(h.stdout)
        #expect(nano["quality"] == .null && nano["output_format"] == "jpeg")
        #expect(nano["defaulted"] == .array([]))
        #expect(await h.run(["history", "--json"]) == 0)
        #expect(h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }.contains { $0["quality"] == "medium" })
    }

    @Test("watch --json says why it waits when the server is down, on the task's own line")
    func watchWhileDown() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "waits", "--no-download", "--json"], env: env) == 0)
        let gone = try await sim.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        // Simulated time: the poller backs off through the outage until the 24 h limit.
        #expect(await h.run(["watch", "--json", "--no-download"], env: env) == 1)
        let lines = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        let failing = try #require(lines.first { $0["polling"] == "failing" })
        #expect(failing["status"] == "queued")
        #expect(failing["polling_error"]?.stringValue?.contains("cannot reach the server") == true)
        #expect(lines.last?["status"] == "expired")
    }

    @Test("a relative result link is fetched from the base URL; a file:// one is refused and kept with why; an odd id is encoded, not lost")
    func oddLinksAndIDs() async throws {
        let server = try ScriptedHTTPServer { r in
            switch (r.method, r.path) {
            case ("POST", "/v1/images/tasks"):
                return .respond(status: 200, headers: ["Content-Type": "application/json"],
                                body: Array(#"{"task_id":"../../etc/x","status":"queued","progress":"0%"}"#.utf8))
            case ("GET", "/v1/images/tasks/..%2F..%2Fetc%2Fx"):
                return .respond(status: 200, headers: ["Content-Type": "application/json"], body: Array("""
                    {"code":"success","message":"","data":{"task_id":"../../etc/x","status":"SUCCESS","progress":"100%",
                     "metadata":{"result_urls":["/files/x.png","file:///etc/passwd"]}}}
                    """.utf8))
            case ("GET", "/files/x.png"):
                return .respond(status: 200, headers: ["Content-Type": "image/png"], body: Self.png)
            default:
                return .respond(status: 404, headers: [:], body: Array("no".utf8))
            }
        }
        defer { server.stop() }
        let h = CLIHarness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "odd", "--wait", "--json"], env: Self.env(server)) == 2)
        let r = try JSONParser.parse(h.stdout)
        #expect(r["task_id"] == "../../etc/x" && r["status"] == "succeeded")
        let results = try #require(r["results"]?.arrayValue)
        #expect(results.count == 2)
        #expect(results[0]["url"]?.stringValue == server.baseURL.absoluteString + "/files/x.png")
        #expect(results[0]["state"] == "saved")
        #expect(results[0]["path"]?.stringValue?.hasSuffix("/results/1/0.png") == true, "a non-plain id never names a folder")
        #expect(results[1]["state"] == "refused", "\(results[1].serialized())")
        #expect(results[1]["error"]?.stringValue?.contains("not an http(s) URL, so it was not fetched: file:///etc/passwd") == true)
        #expect(h.stderr.contains("warning: result 1 not saved: the link is not an http(s) URL"))
        #expect(server.requests.contains { $0.path == "/v1/images/tasks/..%2F..%2Fetc%2Fx" })
        #expect(!server.requests.contains { $0.path.contains("etc/passwd") })
    }

    @Test("a submit answered 404 says the base URL is wrong, and shows it")
    func submit404() async throws {
        let server = try ScriptedHTTPServer { _ in
            .respond(status: 404, headers: ["Content-Type": "application/json"],
                     body: Array(#"{"error":{"message":"Invalid URL (POST /v1/images/tasks)","type":"invalid_request_error"}}"#.utf8))
        }
        defer { server.stop() }
        let h = CLIHarness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: Self.env(server)) == 69)
        #expect(h.stderr.contains("the server has no task endpoint at \(server.baseURL.absoluteString)/v1/images/tasks (404"))
        #expect(h.stderr.contains("Check the base URL"))
        #expect(!h.stderr.contains("does not know this task"))
        #expect(await h.run(["history"]) == 0)
        #expect(h.stdout.contains("refused"))
    }

    @Test("history tells a key the server refused from a server never reached")
    func refusedOrUnreachable() async throws {
        let h = CLIHarness()
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        let closedURL = closed.baseURL.absoluteString
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "nobody there"],
                            env: ["DARKROOM_BASE_URL": closedURL, "DARKROOM_API_KEY": "sk-contract-test-0001"]) == 69)
        let sim = try await h.startSimulator { $0.apiKey = "sk-only-this-one-0001" }
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "wrong key"], env: CLIHarness.env(sim)) == 69)
        #expect(await h.run(["history"]) == 0)
        let rows = h.stdout.split(separator: "\n")
        #expect(rows.contains { $0.contains("unreached") && $0.contains("nobody there") })
        #expect(rows.contains { $0.contains("refused") && $0.contains("wrong key") })
        #expect(await h.run(["history", "--json"]) == 0)
        let kinds = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["submit_failure"]?.stringValue }
        #expect(Set(kinds) == ["unreachable", "refused"])
    }

    @Test("bad input is exit 64 with a precise message, and nothing is sent", arguments: [
        (["--n", "-1"], "--n: n must be between 1 and 8 (got -1)"),
        (["--n", "many"], "--n: \"many\" is not a number; give 1 to 8 images per task"),
        (["--prompt", "a b\u{0}c"], "the prompt holds a control character (U+0000) at position 4"),
        (["--prompt", "line\u{1B}[2J"], "the prompt holds a control character (U+001B) at position 5"),
    ])
    func badInput(extra: [String], message: String) async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        var args = ["submit", "--model", "NanoBanana"]
        if !extra.contains("--prompt") { args += ["--prompt", "fine"] }
        #expect(await h.run(args + extra, env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains(message), "\(h.stderr)")
        #expect(await sim.core.submitCount == 0)
    }

    @Test("a base URL with credentials in it is refused, pointing to api_key, and stored nowhere")
    func credentialsInURL() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let url = "http://user:sk-leaked-0000000001@127.0.0.1:\(sim.baseURL.port!)"
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: ["DARKROOM_BASE_URL": url, "DARKROOM_API_KEY": "sk-a-0000000001"]) == 64)
        #expect(h.stderr.contains("the base URL holds a user name or key"))
        #expect(h.stderr.contains("api_key or api_key_command"))
        #expect(!h.stderr.contains("sk-leaked"))
        #expect(await sim.core.submitCount == 0)
        let history = h.home.appendingPathComponent("data/darkroom/history.sqlite").path
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: history))) ?? Data()
        #expect(!String(decoding: bytes, as: UTF8.self).contains("sk-leaked"))
    }

    @Test("a task that succeeded with pictures that could not be saved is exit 2, not 0 and not 1")
    func resultsNotSaved() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.faults.resultTTL = .zero }
        defer { Task { await sim.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--n", "2", "--prompt", "gone", "--wait"], env: CLIHarness.env(sim)) == 2)
        #expect(h.stderr.contains("warning: result 0 not saved: the link has expired (403)"))
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "[fail] failed", "--wait"], env: CLIHarness.env(sim)) == 1)
    }

    @Test("a history that cannot be opened is exit 73, naming the path, and nothing is sent")
    func historyCannotOpen() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        // A file where the data folder should be.
        let blocker = h.home.appendingPathComponent("blocked")
        FileManager.default.createFile(atPath: blocker.path, contents: Data("not a folder".utf8))
        var env = CLIHarness.env(sim)
        env["XDG_DATA_HOME"] = blocker.path
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: env) == 73)
        #expect(h.stderr.contains("cannot open the history \(blocker.path)/darkroom/history.sqlite"))
        #expect(await sim.core.submitCount == 0)
        #expect(await h.run(["history"], env: env) == 73)
    }

    @Test("--help lists every exit code")
    func helpListsExitCodes() async {
        let h = CLIHarness()
        _ = await h.run(["--help"])
        let text = (h.stdout + h.stderr).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        for code in ExitStatus.allCases { #expect(text.contains("\(code.rawValue) "), "exit \(code.rawValue) missing from --help") }
    }

    @Test("a history another process keeps locked cannot be opened: exit 73, naming the path and why, and the submit is not sent")
    func historyLocked() async throws {
        let h = CLIHarness(busyTimeout: 0.3)
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        #expect(await h.run(["history"]) == 0)  // creates the file
        let path = h.home.appendingPathComponent("data/darkroom/history.sqlite").path
        let lock = try LockHolder(path: path)
        // Opening checks the schema under the write lock, so it is the opening that waits and gives up.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"], env: CLIHarness.env(sim)) == 73)
        lock.release()
        #expect(h.stderr.contains("cannot open the history \(path): database is locked"), "\(h.stderr)")
        #expect(h.stderr.contains("another program holds it"))
        #expect(await sim.core.submitCount == 0)
    }
}

@Suite("The first run with a config file that exists")
struct BrokenConfigTests {
    @Test("a config readable by others says exactly that, and the one command that fixes it, not 'write config.toml'")
    func readableByOthers() async throws {
        let h = CLIHarness()
        let config = try h.writeConfig("[profiles.default]\nbase_url = \"https://x.example\"\napi_key = \"sk-0000000000000001\"\n", mode: 0o644)
        let text = TUICommandText.brokenConfig(environment: ["HOME": h.home.path, "XDG_CONFIG_HOME": h.home.path + "/config"])
        #expect(text?.contains("is readable by other users") == true)
        #expect(text?.contains("chmod 600 \(config.path)") == true)
        #expect(text?.contains("write ") == false)
        // And the commands that need the key say the same.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x"]) == 64)
        #expect(h.stderr.contains("run `chmod 600 \(config.path)`"))
    }
}
