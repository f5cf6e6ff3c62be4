import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTestSupport
import Foundation
import Synchronization
import Testing

/// What a new user found trying the CLI against a stand-in server: each failed before its fix.
@Suite("Found by trying the CLI from scripts")
struct ScriptTrialTests {
    static let json = ["Content-Type": "application/json"]

    @Test("a result link holding an escape sequence is printed percent-encoded, never raw; an odd id is shown exact, with \\x escapes")
    func escapedLinkAndID() async throws {
        let server = try TaskIDTests.server(submitted: #"{"task_id":"t\u001b[31mred","status":"queued"}"#, askedAt: "/v1/images/tasks/t%1B%5B31mred",
                                            answer: #"{"task_id":"t\u001b[31mred","status":"SUCCESS","metadata":{"result_urls":["/files/a\u001b[2Jb.png"]}}"#)
        defer { server.stop() }
        let h = CLIHarness()
        _ = await h.run(["submit", "--model", "NanoBanana", "--prompt", "odd", "--wait"], env: ContractTests.env(server), within: 30)
        #expect(!h.stdout.contains("\u{1B}") && !h.stderr.contains("\u{1B}"))
        #expect(h.stdout.contains("/files/a%1B"), "\(h.stdout)")
        #expect(h.stderr.contains(#"t\x1B[31mred"#), "the id shown exact: \(h.stderr)")
    }

    @Test("status '#1' asks the server about local task #1 by its id; the submit's hint names '#N' and the endpoint it went to")
    func statusAndHint() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "hint", "--no-download", "--base-url", sim.baseURL.absoluteString], env: env) == 0)
        #expect(h.stderr.contains("follow it with: darkroom watch '#1' --base-url \(sim.baseURL.absoluteString)"), "\(h.stderr)")
        #expect(await h.run(["status", "#1"], env: env) == 0, "\(h.stderr)")
        #expect(h.stdout.hasPrefix("task_"), "\(h.stdout)")
    }

    @Test("watch '#1' of a task sent to another endpoint refuses, naming it, instead of adopting its id here")
    func watchOtherEndpoint() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        let other = try await h.startSimulator()
        defer { Task { await sim.stop(); await other.stop() } }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "there", "--no-download"], env: CLIHarness.env(other)) == 0)
        #expect(await h.run(["watch", "#1"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("#1 was sent to") && h.stderr.contains("--base-url"), "\(h.stderr)")
        #expect(await sim.core.queryCount == 0, "nothing asked of the wrong server")
    }

    @Test("a run the server answers 429 every time: each request sent three times at most, paused, said with why, exit 69")
    func alwaysBusy() async throws {
        let posts = Mutex(0)
        let server = try ScriptedHTTPServer { r in
            if r.method == "POST" { posts.withLock { $0 += 1 } }
            return .respond(status: 429, headers: ["Content-Type": "application/json", "Retry-After": "0"],
                            body: Array(#"{"error":{"message":"busy","type":"new_api_error","code":"rate_limited"}}"#.utf8))
        }
        defer { server.stop() }
        let h = CLIHarness()
        let status = await h.run(["submit", "--model", "NanoBanana", "--prompt", "a {red|blue} fox", "--yes", "--wait"], env: ContractTests.env(server), within: 60)
        #expect(status == 69, "\(String(describing: status))\n\(h.stderr)")
        #expect(posts.withLock { $0 } <= 6, "at most three times each")
        #expect(h.stderr.contains("429"), "\(h.stderr)")
    }

    @Test("a data folder that is a file says so in words (exit 73), never Foundation's")
    func dataFolderIsAFile() async throws {
        let h = CLIHarness()
        let file = h.home.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        #expect(await h.run(["history"], env: ["XDG_DATA_HOME": file.path]) == 73)
        #expect(!h.stderr.contains("NSCocoaErrorDomain") && !h.stderr.contains("UserInfo"), "\(h.stderr)")
    }

    @Test("config warnings keep their line in a CRLF file, and submit --dry-run says them too")
    func configWarnings() async throws {
        let h = CLIHarness()
        let dir = h.home.appendingPathComponent("config/darkroom")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("config.toml")
        try Data("[profiles.default]\r\nbsae_url = \"https://x.example.com\"\r\nbase_url = \"https://api.example.com\"\r\n".utf8).write(to: path)
        chmod(path.path, 0o600)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--dry-run"]) == 0)
        #expect(h.stderr.contains("config.toml:2: unknown key \"bsae_url\""), "\(h.stderr)")
    }
}
