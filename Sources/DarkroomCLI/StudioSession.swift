import Clocks
import DarkroomCore
import DarkroomHistory
import Foundation

/// A Studio for one CLI command: configuration, history, poller and downloads.
struct StudioSession {
    let config: Configuration
    let store: HistoryStore
    let studio: Studio<AnyClock<Duration>>

    static func open(_ ctx: CLIContext, connection: ConnectionOptions, download: Bool) throws(CLIFailure) -> StudioSession {
        let config = try connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        let store = try openStore(ctx)
        let client = connection.client(ctx, config)
        let downloader = download && config.downloadResults
            ? ResultDownloader(resultsDirectory: config.paths.dataDirectory.appendingPathComponent("results", isDirectory: true), sleep: ctx.sleep)
            : nil
        let studio = Studio(store: store, profile: config.profile, client: client, clock: ctx.clock, downloader: downloader)
        return StudioSession(config: config, store: store, studio: studio)
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
