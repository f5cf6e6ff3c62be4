import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch tasks until they finish, saving their results.",
        discussion: """
        With no ids, watches every unfinished task in history for this endpoint: \
        after darkroom was stopped in the middle of tasks, this picks them all up again. \
        Exits 0 when every task succeeded, 1 if any failed, so `darkroom watch && notify-send done` works.
        """)

    @Argument(help: ArgumentHelp("Tasks to watch: the server's ids, or '#12' for darkroom's local ids (default: every unfinished task in history).",
                                 valueName: "task"))
    var taskIDs: [String] = []

    @OptionGroup(title: "Output") var output: JSONOutput

    @Flag(name: .long, help: "Do not save results on success.")
    var noDownload = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        // `#12` is darkroom's local id: the task it names is watched by its server id.
        var resolved: [String] = []
        var endpoints: [(Int64, Endpoint)] = []
        for ref in self.taskIDs {
            guard let local = StudioSession.localID(ref.trimmingCharacters(in: .whitespaces)) else {
                // Typed by the user: a server's task id, checked before anything is asked.
                guard DarkroomClient.isPlausibleTaskID(ref) else { throw CLIFailure(.invalidInput, ClientError.invalidTaskID(TerminalSanitizer.clean(ref)).description) }
                resolved.append(ref)
                continue
            }
            let r = try await StudioSession.find(ref, in: try StudioSession.openStore(ctx))
            guard let id = r.taskID else {
                throw CLIFailure(.invalidInput, "#\(local) has no task id (it is \(r.statusLabel)): there is nothing to watch on the server")
            }
            resolved.append(id)
            endpoints.append((local, r.endpoint))
        }
        let taskIDs = resolved
        let wanted = endpoints
        let session = try await StudioSession.open(ctx, connection: connection, download: !noDownload)
        // A local task sent to another endpoint is watched there, never adopted here under its id.
        let here = Endpoint(session.config.baseURL)
        if let (local, url) = wanted.first(where: { $0.1 != here }) {
            await session.studio.shutdown()
            throw CLIFailure(.invalidInput, "#\(local) was sent to \(TerminalSanitizer.clean(url.text)), not \(here): watch it with --base-url \(TerminalSanitizer.clean(url.text)) (or its profile)")
        }
        return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
            var targets: [TaskRecord]
            do {
                let (unknown, resumed, paused) = try await session.studio.start()
                for u in unknown {
                    ctx.console.warning("#\(u.localID) (\(u.request.model): \(RecordFormat.firstLine(u.request.prompt))) may or may not have been created: darkroom stopped before the server answered. `darkroom rerun \(u.localID)` submits it again on purpose")
                }
                RunCommand.warnPaused(paused, ctx: ctx)
                targets = taskIDs.isEmpty ? resumed : try await session.studio.watch(taskIDs: taskIDs)
                if taskIDs.isEmpty {
                    // Results of finished tasks that were never saved are fetched too.
                    for (localID, _) in try await session.store.pendingDownloads() where !targets.contains(where: { $0.localID == localID }) {
                        if let r = try await session.store.record(localID: localID) { targets.append(r) }
                    }
                }
            } catch let f as CLIFailure {
                throw f
            } catch {
                throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
            }
            if targets.isEmpty {
                if !output.json { ctx.console.err("nothing to watch: no unfinished task in history for \(session.config.baseURL.absoluteString)") }
                return .ok
            }
            if !output.json { ctx.console.err("watching \(targets.count) task\(targets.count == 1 ? "" : "s") on \(session.config.baseURL.absoluteString)") }
            let final = try await WatchLoop(session: session, ctx: ctx, json: output.json).run(targets.map(\.localID))
            if !output.json { WatchLoop.summarize(final, ctx: ctx, urls: false) }
            return WatchLoop.status(final, downloads: !noDownload)
        }
    }
}
