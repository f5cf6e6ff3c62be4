import ArgumentParser
import DarkroomCore

/// The `darkroom` command line.
public struct DarkroomCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "A terminal studio for asynchronous image generation. Alone, `darkroom` opens the TUI; `darkroom demo` tries it on a built-in simulator.",
        discussion: """
        Configuration: --base-url, else DARKROOM_BASE_URL, else the profile in \
        $XDG_CONFIG_HOME/darkroom/config.toml (mode 600). The key comes from \
        --api-key-stdin, else DARKROOM_API_KEY, else the profile's api_key or api_key_command.

        Exit codes: \(ExitStatus.table)
        """,
        version: DarkroomVersion.current,
        subcommands: [ModelsCommand.self, BalanceCommand.self, SubmitCommand.self, StatusCommand.self, WatchCommand.self, HistoryCommand.self,
                      ShowCommand.self, DownloadCommand.self, RerunCommand.self, BatchCommand.self, RunCommand.self, ExportCommand.self,
                      RecallCommand.self, StarCommand.self, TagCommand.self, HideCommand.self, PurgeCommand.self,
                      SimulatorCommand.self, DemoCommand.self, TUICommand.self, CompletionCommand.self],
        defaultSubcommand: TUICommand.self)

    public init() {}
}

/// Runs the command line in-process with a given context (tests use this) and
/// returns the exit code.
public enum DarkroomMain {
    public static func run(_ arguments: [String], context: CLIContext = .standard) async -> Int32 {
        await CLIContext.$current.withValue(context) {
            do {
                // Async: the completion of run ids reads the history.
                var command = try await DarkroomCommand.asyncParseAsRoot(arguments)
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                let code = DarkroomCommand.exitCode(for: error).rawValue
                let message = DarkroomCommand.fullMessage(for: error)
                // A completion script asking for values (`---completion ...`, on Tab) gets
                // candidates on stdout or nothing: never an error in the middle of a line being typed.
                if arguments.first == "---completion" && code != 0 { return code }
                if !message.isEmpty {
                    if code == 0 { context.console.out(message) } else { context.console.err(message) }
                }
                return code
            }
        }
    }
}
