import ArgumentParser
import DarkroomCore

/// `darkroom completion bash|zsh|fish`: the shell's completion script, the same
/// as `darkroom --generate-completion-script SHELL`.
struct CompletionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the completion script for bash, zsh or fish: commands, options, profiles, models, sizes and run ids.",
        discussion: """
        Install it once (darkroom must be on PATH: the script asks it for profiles, models, sizes and run ids):
          darkroom completion bash > ~/.local/share/bash-completion/completions/darkroom
          darkroom completion zsh > ~/.zfunc/_darkroom
            (and in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -U compinit; compinit)
          darkroom completion fish > ~/.config/fish/completions/darkroom.fish
        """)

    @Argument(help: "bash, zsh or fish.", completion: .list(CompletionShell.allCases.map(\.rawValue)))
    var shell: String

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in
            guard let shell = CompletionShell(rawValue: shell) else {
                throw CLIFailure(.invalidInput, "no completion for \"\(TerminalSanitizer.clean(shell))\": darkroom completion takes bash, zsh or fish")
            }
            ctx.console.out(DarkroomCommand.completionScript(for: shell))
            return .ok
        }
    }
}
