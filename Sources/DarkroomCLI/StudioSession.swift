import Clocks
import DarkroomCore
import DarkroomHistory
import DarkroomTerminal
import Foundation

/// A Studio for one CLI command: configuration, history, poller and downloads.
struct StudioSession {
    let config: Configuration
    let store: HistoryStore
    let studio: Studio<AnyClock<Duration>>

    static func open(_ ctx: CLIContext, connection: ConnectionOptions, download: Bool) throws(CLIFailure) -> StudioSession {
        let config = try connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        return StudioSession(config: config, store: try openStore(ctx), connection: connection, ctx: ctx, download: download)
    }

    init(config: Configuration, store: HistoryStore, connection: ConnectionOptions, ctx: CLIContext, download: Bool) {
        let client = connection.client(ctx, config)
        let downloader = download && config.downloadResults
            ? ResultDownloader(resultsDirectory: config.paths.dataDirectory.appendingPathComponent("results", isDirectory: true), sleep: ctx.sleep)
            : nil
        self.config = config
        self.store = store
        studio = Studio(store: store, profile: config.profile, client: client, clock: ctx.clock, downloader: downloader)
    }

    /// Switching profiles in the TUI: every profile of the config file, each
    /// opened as the file writes it (DARKROOM_BASE_URL, DARKROOM_API_KEY and
    /// DARKROOM_PROFILE apply to the first profile only). Nil with fewer than two.
    func profileSwitcher(_ ctx: CLIContext, connection: ConnectionOptions) -> ProfileSwitcher<AnyClock<Duration>>? {
        let paths = DarkroomPaths(environment: ctx.environment)
        guard let file = try? ConfigResolver().loadFile(paths: paths), file.profiles.count > 1 else { return nil }
        var env = ctx.environment
        for k in ["DARKROOM_BASE_URL", "DARKROOM_API_KEY", "DARKROOM_PROFILE"] { env[k] = nil }
        let store = self.store
        let names = file.profiles.keys.sorted()
        return ProfileSwitcher(names: names) { [env, connection] name in
            let overrides = ConfigOverrides(profile: name, allowInsecureHTTP: connection.allowInsecureHttp)
            // A ConfigError says what to fix; the TUI shows it in the status bar.
            let config = try ConfigResolver().resolve(overrides: overrides, environment: env)
            let session = StudioSession(config: config, store: store, connection: connection, ctx: ctx, download: true)
            return (session.studio, "\(config.profile) \(config.baseURL.absoluteString) · \(config.apiKey.masked)")
        }
    }

    /// The history store alone (no key needed), for commands that only read.
    static func openStore(_ ctx: CLIContext) throws(CLIFailure) -> HistoryStore {
        let paths = DarkroomPaths(environment: ctx.environment)
        do { return try HistoryStore(paths: paths) } catch {
            throw CLIFailure(.unavailable, "cannot open the history in \(paths.dataDirectory.path): \(error)")
        }
    }

    /// Finds a task by its server id, or by darkroom's local id (`12` or `#12`).
    static func find(_ ref: String, in store: HistoryStore) throws(CLIFailure) -> TaskRecord {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        do {
            if let r = try store.record(taskID: trimmed) { return r }
            let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
            if let local = Int64(digits), let r = try store.record(localID: local) { return r }
        } catch {
            throw CLIFailure(.unavailable, "cannot read the history: \(error)")
        }
        throw CLIFailure(.invalidInput, "no task \"\(TerminalSanitizer.clean(ref))\" in history; `darkroom history` lists them")
    }
}
