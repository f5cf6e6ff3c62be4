import Clocks
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTerminal
import Foundation

/// A Studio for one CLI command: configuration, history, poller and downloads.
struct StudioSession {
    let config: Configuration
    let store: HistoryStore
    let studio: Studio<AnyClock<Duration>>

    static func open(_ ctx: CLIContext, connection: ConnectionOptions, download: Bool) async throws(CLIFailure) -> StudioSession {
        let config = try await connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        return StudioSession(config: config, store: try openStore(ctx), connection: connection, ctx: ctx, download: download)
    }

    init(config: Configuration, store: HistoryStore, connection: ConnectionOptions, ctx: CLIContext, download: Bool) {
        let client = connection.client(ctx, config)
        let downloader = download && config.downloadResults
            ? ResultDownloader(resultsDirectory: config.paths.dataDirectory.appendingPathComponent("results", isDirectory: true),
                               transport: client.transport, sleep: ctx.sleep)
            : nil
        self.config = config
        self.store = store
        studio = Studio(store: store, profile: config.profile, client: client, clock: ctx.clock, downloader: downloader,
                        maxConcurrentSubmits: config.maxConcurrentSubmits)
    }

    /// Runs `body`, then shuts the Studio down (poller stopped, events ended)
    /// before returning, whatever happened: nothing keeps running after the command.
    func closing<T>(_ body: () async throws(CLIFailure) -> T) async throws(CLIFailure) -> T {
        do {
            let value = try await body()
            await studio.shutdown()
            return value
        } catch {
            await studio.shutdown()
            throw error
        }
    }

    /// Switching profiles in the TUI: every profile of the config file, each
    /// opened as the file writes it (DARKROOM_BASE_URL, DARKROOM_API_KEY and
    /// DARKROOM_PROFILE apply to the first profile only). Nil with fewer than two.
    func profileSwitcher(_ ctx: CLIContext, connection: ConnectionOptions) -> ProfileSwitcher<AnyClock<Duration>>? {
        let paths = DarkroomPaths(environment: ctx.environment)
        guard let file = try? ConfigResolver().loadFile(paths: paths), file.profiles.count > 1 else { return nil }
        var env = ctx.environment
        for k in ConfigResolver.firstProfileVariables { env[k] = nil }
        let store = self.store
        let names = file.profiles.keys.sorted()
        return ProfileSwitcher(names: names) { [env, connection] name in
            let overrides = ConfigOverrides(profile: name, allowInsecureHTTP: connection.allowInsecureHttp, proxy: connection.proxy)
            // A ConfigError says what to fix; the TUI shows it in the status bar. Inside the
            // TUI, a key command runs without the terminal, off the cooperative pool.
            let resolver = ConfigResolver(runKeyCommand: { try KeyCommand.run($0, mode: .detached) })
            let config = try await resolver.resolveOffPool(overrides: overrides, environment: env)
            let session = StudioSession(config: config, store: store, connection: connection, ctx: ctx, download: true)
            return (session.studio, config.connectionLabel)
        }
    }

    /// The history store alone (no key needed), for commands that only read.
    static func openStore(_ ctx: CLIContext) throws(CLIFailure) -> HistoryStore {
        let paths = DarkroomPaths(environment: ctx.environment)
        let path = HistoryStore.path(in: paths)
        do { return try HistoryStore(path: path, busyTimeout: ctx.historyBusyTimeout) } catch {
            throw CLIFailure(.cannotCreate, "cannot open the history \(path): \(HistoryStore.describe(error))")
        }
    }

    /// Finds a task by darkroom's local id (`12` or `#12`) or by its server id.
    /// An id held by several tasks (two endpoints, or one server that handed it
    /// out again) is refused with the local ids to choose from.
    static func find(_ ref: String, in store: HistoryStore) async throws(CLIFailure) -> TaskRecord {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        do {
            // `#12` is always darkroom's local id, whatever server id looks like it.
            if let local = localID(trimmed) {
                if let r = try await store.record(localID: local) { return r }
                throw CLIFailure(.invalidInput, "no task #\(local) in history; `darkroom history` lists them")
            }
            let matches = try await store.records(taskID: trimmed)
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                let list = matches.map { "#\($0.localID) on \($0.baseURL)" }.joined(separator: ", ")
                throw CLIFailure(.invalidInput, "\"\(TerminalSanitizer.clean(trimmed))\" names \(matches.count) tasks (\(list)); give the local id, e.g. \(matches[0].localID)")
            }
            let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
            if let local = Int64(digits), let r = try await store.record(localID: local) { return r }
        } catch let f as CLIFailure {
            throw f
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        throw CLIFailure(.invalidInput, "no task \"\(TerminalSanitizer.clean(ref))\" in history; `darkroom history` lists them")
    }

    /// `#12` as a local id (nil for anything else: a server's task id).
    static func localID(_ ref: String) -> Int64? {
        guard ref.hasPrefix("#"), ref.count > 1, ref.dropFirst().allSatisfy(\.isASCII), ref.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return Int64(ref.dropFirst())
    }

    /// The exit status and message for a submit that did not give a task.
    static func failure(_ e: StudioError, store: HistoryStore, ctx: CLIContext) -> CLIFailure {
        switch e {
        case .invalid: return CLIFailure(.invalidInput, e.description)
        case let .submitFailed(record, clientError):
            if case .invalidReference = clientError { return CLIFailure(.invalidInput, clientError.description) }
            if record?.state == .submitUnknown || (record == nil && Studio<AnyClock<Duration>>.mayExist(clientError)) {
                let id = record.map { "#\($0.localID)" } ?? "it"
                return CLIFailure(.submissionUnknown, "\(clientError.description). Look for it on the vendor's dashboard before sending it again; `darkroom rerun \(record.map { String($0.localID) } ?? "ID")` submits \(id) again on purpose")
            }
            if case let .api(a) = clientError, a.isKeyRefusal { return CLIFailure(.keyRefused, clientError.description) }
            return CLIFailure(.unavailable, clientError.description)
        case let .storage(m):
            return CLIFailure(.ioError, "the history \(store.path) could not be written, so nothing was sent: \(m)")
        case let .recordFailed(taskID, _, _, _):
            // The id is the one thing a script must not lose: print it where results go.
            ctx.console.out("\(TerminalSanitizer.clean(taskID)) recorded_elsewhere")
            return CLIFailure(.ioError, e.description)
        }
    }
}
