import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomPreview
import DarkroomTerminal
import Foundation

/// `darkroom` with no arguments: the TUI on the configured profile.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The terminal studio on the configured profile (what `darkroom` alone runs).")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    /// - Parameter initial: a request to open the composer with (`recall --edit`).
    func execute(_ ctx: CLIContext, initial: ImageRequest? = nil) async throws(CLIFailure) -> ExitStatus {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw CLIFailure(.invalidInput, "the TUI needs a terminal; for scripts use `darkroom submit`, `watch`, `history` (see `darkroom --help`)")
        }
        let paths = DarkroomPaths(environment: ctx.environment)
        // A config file that exists but cannot be used: say exactly what is wrong and
        // how to fix it, not the welcome that tells to write one.
        if let text = TUICommandText.brokenConfig(environment: ctx.environment) {
            ctx.console.out(text)
            return try await offerDemo(ctx)
        }
        let session: StudioSession
        do {
            session = try await StudioSession.open(ctx, connection: connection, download: true)
        } catch {
            guard error.status == .invalidInput else { throw error }
            ctx.console.out(Self.firstRun(problem: error.message, paths: paths))
            return try await offerDemo(ctx)
        }
        let connectionLabel = session.config.connectionLabel
        let graphics = try GraphicsSetting.resolve(environment: ctx.environment, file: session.config.previewGraphics)
        let runner = TUIRunner(studio: session.studio, store: session.store, connectionLabel: connectionLabel, notifications: session.config.notifications,
                               prices: session.config.prices, budget: session.config.budget,
                               profiles: session.profileSwitcher(ctx, connection: connection),
                               credentials: connection.keyReader(ctx, firstProfile: session.config.profile, stdinKey: nil),
                               graphics: graphics.0, graphicsSource: graphics.1,
                               thumbnails: paths.cacheDirectory.appendingPathComponent("thumbnails"),
                               cacheDirectory: paths.cacheDirectory,
                               styles: Array(session.config.styles.values), wildcardsFolder: paths.wildcardsDirectory)
        // The config file's unknown keys, said where the user looks (stderr is under the TUI).
        for w in session.config.warnings { runner.notice("warning: " + w) }
        if let initial { runner.compose(initial) }
        _ = await runner.run()
        return .ok
    }

    /// Offers the demo right here; anything but Enter leaves (status 64: nothing configured).
    private func offerDemo(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        ctx.console.writeOut("Press Enter to start the demo now, or q then Enter to leave: ")
        guard let answer = readLine(strippingNewline: true), answer.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .invalidInput
        }
        guard let demo = try? DemoCommand.parse([]) else { return .invalidInput }
        return try await demo.execute(ctx)
    }

    static func brokenConfig(_ error: ConfigError, paths: DarkroomPaths) -> String {
        let path = paths.configFile.path
        switch error {
        case let .fileReadableByOthers(_, mode):
            return """
            darkroom cannot use its config file: \(path) is readable by other users
            (mode \(mode)), and it may hold an API key. Make it yours alone:

                chmod 600 \(path)

            then run darkroom again.

            """
        default:
            return """
            darkroom cannot use its config file \(path):

                \(error.description)

            Fix that line (TOML: https://toml.io), then run darkroom again.

            """
        }
    }

    static func firstRun(problem: String, paths: DarkroomPaths) -> String {
        """
        Welcome to darkroom, a terminal studio for image generation.

        It needs an endpoint and a key first (\(problem)).
        Either set them for this shell:

            export DARKROOM_BASE_URL=https://your-gateway.example
            export DARKROOM_API_KEY=sk-...

        or write \(paths.configFile.path) (then chmod 600 it):

            [profiles.default]
            base_url = "https://your-gateway.example"
            api_key_command = "pass show darkroom"    # or: api_key = "sk-..."

        To try everything now with no key, run it on the built-in simulator:

            darkroom demo --seed 200

        """
    }
}

/// What the TUI prints before it starts, as text (tests read it).
public enum TUICommandText {
    /// What is wrong with a config file that exists and cannot be used, and the
    /// one command (or edit) that fixes it; nil when there is none or it is fine.
    public static func brokenConfig(environment: [String: String]) -> String? {
        let paths = DarkroomPaths(environment: environment)
        do {
            _ = try ConfigResolver().loadFile(paths: paths)
            return nil
        } catch {
            return TUICommand.brokenConfig(error, paths: paths)
        }
    }
}
