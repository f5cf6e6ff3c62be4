import DarkroomCore
import Foundation
import Testing

/// `submit --style` and `{@name}` wildcards from the CLI: a temporary config and
/// wildcards folder under the harness's XDG_CONFIG_HOME, over `--dry-run --json`
/// and the simulator.
@Suite("Styles and wildcards from the CLI")
struct StyleCLITests {
    static let config = """
        [styles.film]
        prompt = "{prompt}, 35mm film, soft grain"

        [styles.noir]
        prompt = "film noir still: {prompt}"
        """

    /// A harness with the styles above and these wildcard files (name → text).
    func harness(wildcards: [String: String] = ["colors": "red\n\n  blue  \ngreen\n"]) throws -> CLIHarness {
        let h = CLIHarness()
        try h.writeConfig(Self.config)
        let folder = h.home.appendingPathComponent("config/darkroom/wildcards")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in wildcards { try Data(text.utf8).write(to: folder.appendingPathComponent(name + ".txt")) }
        return h
    }

    var historyFile: (CLIHarness) -> String { { $0.home.appendingPathComponent("data/darkroom/history.sqlite").path } }

    @Test("two styles and a wildcard file: --dry-run --json gives every request with its prompt as sent and its style, axes counted")
    func twoStylesAndAWildcard() async throws {
        let h = try harness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "film", "--style", "noir", "--prompt", "a {@colors} fox",
                             "--dry-run", "--json"]) == 0, "\(h.stderr)")
        let lines = try h.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.count == 6)
        let seen = lines.map { ($0["prompt"]?.stringValue ?? "", $0["style"]?["name"]?.stringValue ?? "", $0["style"]?["prompt"]?.stringValue ?? "") }
        let expected = ["red", "blue", "green"].flatMap { c in
            [("a \(c) fox, 35mm film, soft grain", "film", "a \(c) fox"), ("film noir still: a \(c) fox", "noir", "a \(c) fox")]
        }
        #expect(seen.map(\.0) == expected.map(\.0))
        #expect(seen.map(\.1) == expected.map(\.1))
        #expect(seen.map(\.2) == expected.map(\.2))
        #expect(lines.allSatisfy { $0["model"]?.stringValue == "NanoBanana" })
        #expect(h.stderr.contains("6 requests (3 @colors × 2 styles), 6 billable units; nothing was sent (--dry-run)"), "\(h.stderr)")
        #expect(!FileManager.default.fileExists(atPath: historyFile(h)))
        // Without --json: one line per request, with its style and the prompt as typed.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "film", "--style", "noir", "--prompt", "a {@colors} fox", "--dry-run"]) == 0)
        #expect(h.stdout.contains("2\tNanoBanana: film noir still: a red fox  (style noir, typed: a red fox)"), "\(h.stdout)")
    }

    @Test("one style: the body's prompt is styled, style says the name and the prompt as typed; --curl sends the styled prompt; no style: style is null")
    func oneStyle() async throws {
        let h = try harness()
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "film", "--prompt", "a fox", "--dry-run", "--json"]) == 0, "\(h.stderr)")
        let body = try JSONParser.parse(h.stdout)
        #expect(body["prompt"]?.stringValue == "a fox, 35mm film, soft grain")
        #expect(body["style"] == .object([("name", "film"), ("prompt", "a fox")]))
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "a fox", "--dry-run", "--json"]) == 0)
        #expect(try JSONParser.parse(h.stdout)["style"] == .null)
        let env = ["DARKROOM_BASE_URL": "https://api.example.com", "DARKROOM_API_KEY": "sk-never-shown-0001"]
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "film", "--prompt", "a fox", "--curl"], env: env) == 0)
        #expect(h.stdout.contains("a fox, 35mm film, soft grain") && !h.stdout.contains("\"style\""))
        #expect(h.stderr.contains("style film, typed: a fox"))
        // A wildcard of one line makes one request, not a run; the same --style twice is one style.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "film", "--style", "film", "--prompt", "a {@one} fox", "--dry-run", "--json"],
                            env: [:]) == 64, "no one.txt yet")
        let one = try harness(wildcards: ["one": "lone\n"])
        #expect(await one.run(["submit", "--model", "NanoBanana", "--style", "film", "--style", "film", "--prompt", "a {@one} fox", "--dry-run", "--json"]) == 0)
        #expect(try JSONParser.parse(one.stdout)["prompt"]?.stringValue == "a lone fox, 35mm film, soft grain")
    }

    @Test("an unknown style is exit 64 naming the styles there are (or how to define one), and nothing is sent")
    func unknownStyle() async throws {
        let h = try harness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "flim", "--prompt", "a fox"], env: env) == 64)
        let file = h.home.appendingPathComponent("config/darkroom/config.toml").path
        #expect(h.stderr.contains("nothing was sent: no style \"flim\" in \(file); did you mean film? styles: film, noir"), "\(h.stderr)")
        #expect(!FileManager.default.fileExists(atPath: historyFile(h)))
        let bare = CLIHarness()
        #expect(await bare.run(["submit", "--model", "NanoBanana", "--style", "film", "--prompt", "a fox", "--dry-run"]) == 64)
        #expect(bare.stderr.contains("defines none; add one there:\n  [styles.film]\n  prompt = \"{prompt}, 35mm film, soft grain\""), "\(bare.stderr)")
        // A style the config file gets wrong: the file's error, with the style and the file named.
        let broken = CLIHarness()
        try broken.writeConfig("[styles.film]\nprompt = \"35mm film\"\n")
        #expect(await broken.run(["submit", "--model", "NanoBanana", "--style", "film", "--prompt", "a fox", "--dry-run"]) == 64)
        #expect(broken.stderr.contains("[styles.film] prompt has no {prompt}") && broken.stderr.contains("config/darkroom/config.toml"), "\(broken.stderr)")
    }

    @Test("a wildcard file missing, empty, or with a control character is exit 64 naming the file and line; nothing is sent")
    func wildcardErrors() async throws {
        let h = try harness(wildcards: ["colors": "red\nblue\n", "empty": "\n \n", "tabs": "red\nblue\tgreen\n"])
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        let folder = h.home.appendingPathComponent("config/darkroom/wildcards").path
        for (prompt, message) in [
            ("a {@sizes} fox", "{@sizes}: there is no file \(folder)/sizes.txt (one choice per line)"),
            ("a {@empty} fox", "\(folder)/empty.txt: holds no choice"),
            ("a {@tabs} fox", "\(folder)/tabs.txt line 2: a tab (U+0009) inside the line"),
            ("a {@colors} {@../colors} fox", "{@../colors}: a wildcard's name is letters, digits, _ and -"),
        ] {
            #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", prompt, "--yes"], env: env) == 64, "\(prompt)")
            #expect(h.stderr.contains("nothing was sent") && h.stderr.contains(message), "\(h.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: historyFile(h)))
    }

    @Test("a submit --wait with a style is recorded with it: show and show --json give the name and the prompt as typed; rerun sends it the same")
    func recorded() async throws {
        let h = try harness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--style", "noir", "--prompt", "a lighthouse", "--wait"], env: env) == 0, "\(h.stderr)")
        #expect(await h.run(["show", "#1", "--json"], env: env) == 0)
        let shown = try JSONParser.parse(h.stdout)
        #expect(shown["status"]?.stringValue == "succeeded")
        #expect(shown["prompt"]?.stringValue == "film noir still: a lighthouse")
        #expect(shown["style"] == .object([("name", "noir"), ("prompt", "a lighthouse")]))
        #expect(await h.run(["show", "#1"], env: env) == 0)
        #expect(h.stdout.contains("Style       noir\nPrompt      as typed\n  a lighthouse\nSent        with style noir\n  film noir still: a lighthouse\n"),
                "\(h.stdout)")
        // The server got the prompt as sent, and nothing named style.
        let tasks = await sim.core.allTasks
        #expect(tasks.map(\.prompt) == ["film noir still: a lighthouse"])
        #expect(await h.run(["rerun", "#1", "--wait", "--json"], env: env) == 0, "\(h.stderr)")
        let again = try JSONParser.parse(h.stdout)
        #expect(again["local_id"]?.intValue == 2)
        #expect(again["prompt"]?.stringValue == "film noir still: a lighthouse")
        #expect(again["style"] == .object([("name", "noir"), ("prompt", "a lighthouse")]))
        // A task without a style: style is null, and the page says Prompt as before.
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "plain", "--wait"], env: env) == 0)
        #expect(await h.run(["show", "#3", "--json"], env: env) == 0)
        #expect(try JSONParser.parse(h.stdout)["style"] == .null)
    }

    @Test("batch lines may name a style; an unknown one is exit 64 naming its line")
    func batch() async throws {
        let h = try harness()
        let file = h.home.appendingPathComponent("run.jsonl")
        try Data("""
            {"model": "NanoBanana", "prompt": "a fox", "style": "film"}
            {"model": "NanoBanana", "prompt": "an owl"}
            """.utf8).write(to: file)
        #expect(await h.run(["batch", file.path, "--dry-run", "--json"]) == 0, "\(h.stderr)")
        let lines = try h.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.map { $0["prompt"]?.stringValue } == ["a fox, 35mm film, soft grain", "an owl"])
        #expect(lines.map { $0["style"] } == [.object([("name", "film"), ("prompt", "a fox")]), .null])
        try Data(#"{"model": "NanoBanana", "prompt": "a fox", "style": "sepia"}"#.utf8).write(to: file)
        #expect(await h.run(["batch", file.path, "--dry-run"]) == 64)
        #expect(h.stderr.contains("line 1: no style \"sepia\" in ") && h.stderr.contains("styles: film, noir"), "\(h.stderr)")
    }
}
