import ArgumentParser
import DarkroomCLI
import Foundation
import Testing

/// The zsh and fish scripts in the real shells, interactive in tmux (their
/// completion runs only at a prompt: fish's `complete -C` cannot tell the
/// cursor's place to a script), where those shells are installed
/// (`scripts/setup` installs both). Tab is pressed and the screen read, with a deadline.
@Suite("Shell completion in zsh and fish")
struct CompletionShellTests {
    static func installed(_ shell: String) -> Bool {
        TmuxTests.tmuxAvailable && ["/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + shell) }
    }

    /// An interactive shell in tmux, with its prompt set to `> `, that has loaded darkroom's script.
    final class Session {
        let tmux = TmuxTests.Tmux()
        /// Kept as long as the shell: its folder holds the config, the history and the script.
        let home: CompletionTests.Home

        init(_ shell: CompletionShell, home: CompletionTests.Home) async throws {
            self.home = home
            let env = home.environment
            let script = home.script(shell)
            let command: String
            let setup: String
            switch shell {
            case .zsh:
                command = "zsh -f"
                setup = "PS1='> '; autoload -U compinit && compinit -u && source \(script)"
            default:
                command = "fish --no-config"
                setup = "function fish_prompt; echo -n '> '; end; set -g fish_autosuggestion_enabled 0; source \(script)"
            }
            // PATH through env: tmux gives a pane its server's PATH, not the session's.
            try tmux.start(env: env.filter { $0.key != "PATH" }.map { "\($0.key)=\($0.value)" }.sorted(),
                           "/usr/bin/env PATH=\(env["PATH"] ?? "") \(command)")
            try tmux.text(setup)
            try tmux.keys("Enter", "C-l")
            _ = try await tmux.waitFor("the prompt after loading the script") { $0.trimmingCharacters(in: .whitespacesAndNewlines) == ">" }
        }

        deinit { tmux.kill() }

        /// The line being edited (the last prompt line), without trailing blanks.
        static func promptLine(_ screen: String) -> String? {
            screen.split(separator: "\n").last { $0.hasPrefix("> ") }.map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        }

        /// Types `line` on a clean screen and presses Tab; waits until `condition` holds on the screen.
        @discardableResult
        func tab(_ line: String, _ what: String, _ condition: @escaping (String) -> Bool) async throws -> String {
            try tmux.keys("C-u", "C-l")
            _ = try await tmux.waitFor("a clean prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines) == ">" }
            try tmux.text(line)
            _ = try await tmux.waitFor("the line typed") { Self.promptLine($0) == "> " + line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            try tmux.keys("Tab")
            return try await tmux.waitFor(what, condition)
        }

        /// Tab on `line` completes it to `expected` (one candidate).
        func completes(_ line: String, to expected: String) async throws {
            let screen = try await tab(line, "`\(line)` completed to `\(expected)`") { Self.promptLine($0) == "> " + expected }
            #expect(Self.promptLine(screen) == "> " + expected)
        }
    }

    static func home() async throws -> CompletionTests.Home {
        let home = CompletionTests.Home()
        home.writeConfig("""
            [profiles.work]
            base_url = "https://api.example.com"
            [profiles.home]
            base_url = "https://api.example.org"
            """)
        _ = try await home.addRuns(1)
        return home
    }

    /// The same checks in each shell: a command, an option, a profile, a model, a run id, and sizes listed.
    static func check(_ shell: CompletionShell) async throws {
        let home = try await home()
        let s = try await Session(shell, home: home)
        try await s.completes("darkroom sub", to: "darkroom submit")
        try await s.completes("darkroom submit --aspect-r", to: "darkroom submit --aspect-ratio")
        try await s.completes("darkroom submit --profile w", to: "darkroom submit --profile work")
        try await s.completes("darkroom history --model gpt-", to: "darkroom history --model gpt-image-2")
        try await s.completes("darkroom run resume ", to: "darkroom run resume 1")
        let k4 = ["3840x1920", "3840x1648", "3840x2160"]
        let screen = try await s.tab("darkroom submit --model gpt-image-2 --size 3840x", "the sizes starting 3840x listed") { screen in
            k4.allSatisfy { screen.contains($0) }
        }
        #expect(!screen.contains("1024x") && !screen.contains("error"), "\(screen)")
    }

    @Test("zsh completes commands, options, profiles, models, run ids and the sizes of the model on the line", .enabled(if: installed("zsh")))
    func zsh() async throws {
        try await Self.check(.zsh)
    }

    @Test("fish completes commands, options, profiles, models, run ids and the sizes of the model on the line", .enabled(if: installed("fish")))
    func fish() async throws {
        try await Self.check(.fish)
    }
}
