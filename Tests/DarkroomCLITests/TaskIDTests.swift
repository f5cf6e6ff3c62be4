import DarkroomCLI
import DarkroomCore
import DarkroomTestSupport
import Foundation
import Testing

/// A task's id is data: stored and asked exactly as the server gave it
/// (sanitised only when shown), and an answer is filed under the id asked for.
@Suite("Task ids as the server gave them")
struct TaskIDTests {
    static let json = ["Content-Type": "application/json"]

    /// A server whose submit answers `submitted`, whose status query at exactly `askedAt`
    /// answers `answer` (anything else is 404), and which serves one PNG at /files/x.png.
    static func server(submitted: String, askedAt: String, answer: String) throws -> ScriptedHTTPServer {
        try ScriptedHTTPServer { r in
            switch (r.method, r.path) {
            case ("POST", "/v1/images/tasks"): return .respond(status: 200, headers: json, body: Array(submitted.utf8))
            case ("GET", askedAt): return .respond(status: 200, headers: json, body: Array(answer.utf8))
            case ("GET", "/files/x.png"): return .respond(status: 200, headers: ["Content-Type": "image/png"], body: ContractTests.png)
            default: return .respond(status: 404, headers: [:], body: Array("no".utf8))
            }
        }
    }

    @Test("an answer that names the task in other letters (TASK_ABC1 for task_abc1) ends the wait, filed under the id asked, and is said once")
    func answerNamesAnotherID() async throws {
        let server = try Self.server(submitted: #"{"task_id":"task_abc1","status":"queued","progress":"0%"}"#, askedAt: "/v1/images/tasks/task_abc1",
                                     answer: #"{"task_id":"TASK_ABC1","status":"SUCCESS","progress":"100%","metadata":{"result_urls":["/files/x.png"]}}"#)
        defer { server.stop() }
        let h = CLIHarness()
        let status = await h.run(["submit", "--model", "NanoBanana", "--prompt", "named", "--wait", "--json"], env: ContractTests.env(server), within: 30)
        #expect(status == 0, "submit --wait must end: \(String(describing: status))\n\(h.stderr)")
        guard status != nil else { return }
        let r = try JSONParser.parse(h.stdout)
        #expect(r["task_id"] == "task_abc1" && r["status"] == "succeeded")
        #expect(h.stderr.contains("TASK_ABC1") && h.stderr.contains("task_abc1"), "the other id is said: \(h.stderr)")
        #expect(h.stderr.components(separatedBy: "TASK_ABC1").count == 2, "said once: \(h.stderr)")
    }

    @Test("an id holding an escape sequence is stored and asked as given (percent-encoded), shown without it")
    func escapedID() async throws {
        let server = try Self.server(submitted: #"{"task_id":"t\u001b[31mred","status":"queued"}"#, askedAt: "/v1/images/tasks/t%1B%5B31mred",
                                     answer: #"{"task_id":"t\u001b[31mred","status":"SUCCESS","progress":"100%","metadata":{"result_urls":["/files/x.png"]}}"#)
        defer { server.stop() }
        let h = CLIHarness()
        let env = ContractTests.env(server)
        let status = await h.run(["submit", "--model", "NanoBanana", "--prompt", "escaped", "--wait"], env: env, within: 30)
        #expect(status == 0, "\(String(describing: status))\n\(h.stderr)")
        guard status != nil else { return }
        #expect(!h.stdout.contains("\u{1B}") && !h.stderr.contains("\u{1B}"), "never shown raw")
        #expect(server.requests.contains { $0.path == "/v1/images/tasks/t%1B%5B31mred" }, "\(server.requests.map(\.path))")
        #expect(await h.run(["history", "--json"], env: env) == 0)
        let row = try JSONParser.parse(String(h.stdout.split(separator: "\n").first ?? ""))
        #expect(row["task_id"]?.stringValue == "t\u{1B}[31mred", "kept as the server gave it")
    }
}

@Suite("--json is always JSON")
struct SubmitJSONTests {
    @Test("submit --json refused (exit 69) or unreachable prints the task as the history recorded it, with why")
    func refusedIsJSON() async throws {
        let server = try ScriptedHTTPServer { _ in
            .respond(status: 503, headers: ["Content-Type": "application/json"],
                     body: Array(#"{"error":{"message":"no channel for this model","type":"new_api_error","code":"model_not_found"}}"#.utf8))
        }
        defer { server.stop() }
        let h = CLIHarness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "refused", "--json"], env: ContractTests.env(server)) == 69)
        let r = try JSONParser.parse(h.stdout)
        #expect(r["status"] == "submit_failed" || r["status"] == "refused", "\(h.stdout)")
        #expect(r["submit_failure"] == "refused", "\(h.stdout)")
        #expect(r["local_id"] == 1)

        let gone = try RefusedPort()
        defer { withExtendedLifetime(gone) {} }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "unreached", "--json"],
                            env: ["DARKROOM_BASE_URL": gone.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-contract-test-0001"]) == 69)
        #expect(try JSONParser.parse(h.stdout)["submit_failure"] == "unreachable", "\(h.stdout)")
    }
}

@Suite("A very long prompt from the CLI")
struct LongPromptCLITests {
    @Test("over 8,000 characters: said on stderr; sent by a script; asked with a terminal, and n sends nothing")
    func longPrompt() async throws {
        let script = CLIHarness()
        let sim = try await script.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        let prompt = String(repeating: "a fox ", count: 1_500)
        #expect(await script.run(["submit", "--model", "NanoBanana", "--prompt", prompt, "--no-download"], env: env) == 0)
        #expect(script.stderr.contains("warning: the prompt is 9,000 characters long"), "\(script.stderr)")
        #expect(await sim.core.submitCount == 1)

        let person = CLIHarness(answers: false)
        #expect(await person.run(["submit", "--model", "NanoBanana", "--prompt", prompt], env: env) == 0)
        #expect(person.stderr.contains("nothing was sent"))
        #expect(await sim.core.submitCount == 1, "n sends nothing")
        #expect(await person.run(["submit", "--model", "NanoBanana", "--prompt", prompt, "--yes", "--no-download"], env: env) == 0)
        #expect(await sim.core.submitCount == 2, "--yes sends without asking")
    }
}
