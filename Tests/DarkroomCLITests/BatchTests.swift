import DarkroomCore
import Foundation
import Testing

/// `darkroom batch`: one request per line, every line checked before any is sent.
@Suite("Batch")
struct BatchTests {
    static let lines = """
        {"model": "gpt-image-2", "size": "1536x1024", "quality": "low", "prompt": "a red fox in fog"}

        {"model": "NanoBanana2-1K", "aspect_ratio": "3:2", "prompt": "a red fox in fog", "n": 2}
        {"model": "NanoBanana", "prompt": "一只猫 on a roof", "output_format": "jpeg"}
        """

    func file(_ h: CLIHarness, _ text: String) throws -> String {
        let url = h.home.appendingPathComponent("run.jsonl")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("--dry-run lists each line's request (JSON lines with --json) and the total; blank lines skipped")
    func dryRun() async throws {
        let h = CLIHarness()
        #expect(await h.run(["batch", try file(h, Self.lines), "--dry-run", "--json"]) == 0, "\(h.stderr)")
        let out = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(out.map { $0["model"]?.stringValue } == ["gpt-image-2", "NanoBanana2-1K", "NanoBanana"])
        #expect(out[1]["n"]?.intValue == 2 && out[2]["output_format"]?.stringValue == "jpeg")
        #expect(h.stderr.contains("3 requests, 4 billable units; nothing was sent (--dry-run)"))
    }

    @Test("a bad line is exit 64 naming it and why, and nothing is sent")
    func badLines() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        let bad = Self.lines + "\n{\"model\": \"gpt-image-2\", \"sise\": \"1024x1024\", \"prompt\": \"x\"}\nnot json\n"
        #expect(await h.run(["batch", try file(h, bad)], env: env) == 64)
        #expect(h.stderr.contains("line 5: unknown field \"sise\""))
        #expect(h.stderr.contains("line 6: not JSON: invalid literal at byte 1"))
        let invalid = Self.lines + "\n{\"model\": \"gpt-image-2\", \"size\": \"999x999\", \"prompt\": \"x\"}\n"
        #expect(await h.run(["batch", try file(h, invalid)], env: env) == 64)
        #expect(h.stderr.contains("line 5 (gpt-image-2 999x999: x): --size:"))
        #expect(await h.run(["history", "--json"], env: env) == 0)
        #expect(h.stdout.isEmpty, "nothing was sent")
        #expect(await h.run(["batch", "/nonexistent/run.jsonl"], env: env) == 64)
        #expect(h.stderr.contains("no such file"))
    }

    @Test("from standard input with --wait: each line sent once, watched to the end; over 4 without --yes is refused")
    func sends() async throws {
        let h = CLIHarness(stdin: Self.lines)
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["batch", "-", "--wait", "--json"], env: env) == 0, "\(h.stderr)")
        let records = h.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(records.count == 3 && records.allSatisfy { $0["status"]?.stringValue == "succeeded" })
        let five = String(repeating: "{\"model\": \"NanoBanana\", \"prompt\": \"x\"}\n", count: 5)
        #expect(await h.run(["batch", try file(h, five)], env: env) == 64)
        #expect(h.stderr.contains("5 requests, 5 billable units: add --yes to send them"))
    }
}

extension BatchTests {
    @Test("a file with CRLF line endings is read as lines (Swift takes \"\\r\\n\" for one character)")
    func crlf() async throws {
        let h = CLIHarness()
        let text = Self.lines.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(await h.run(["batch", try file(h, text), "--dry-run", "--json"]) == 0, "\(h.stderr)")
        #expect(h.stdout.split(separator: "\n").count == 3)
        #expect(h.stderr.contains("3 requests"))
    }

    @Test("more than 200 requests is refused as submit refuses it: exit 64, nothing sent")
    func limit() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let text = (1...201).map { #"{"model": "NanoBanana", "prompt": "fox \#($0)"}"# }.joined(separator: "\n")
        #expect(await h.run(["batch", try file(h, text), "--yes"], env: CLIHarness.env(sim)) == 64)
        #expect(h.stderr.contains("201 requests") && h.stderr.contains("200"), "\(h.stderr)")
        #expect(await sim.core.submitCount == 0)
    }
}
