import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Submit a past task's request again, as a new task (also for a submission whose outcome is unknown); --run ID: a whole run.")

    @Argument(help: "A task id or local id.")
    var task: String?

    @Option(name: .long, help: "Submit every request of this run again, as a new run (confirmed as submit's are).", completion: .runIDs)
    var run: Int64?

    @OptionGroup(title: "Output") var output: JSONOutput

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup(title: "Sending") var sending: SendingOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        if let run { return try await rerunRun(run, ctx) }
        guard let task else { throw CLIFailure(.invalidInput, "give a task (darkroom rerun #12) or a run (darkroom rerun --run 3)") }
        let old = try await StudioSession.find(task, in: try StudioSession.openStore(ctx))
        guard !old.request.model.isEmpty, !old.request.prompt.isEmpty else {
            throw CLIFailure(.invalidInput, "#\(old.localID) was watched by id only; darkroom does not know its request")
        }
        let session = try await StudioSession.open(ctx, connection: connection, download: !sending.noDownload)
        return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
            do { try await session.studio.start() } catch {
                throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
            }
            var record: TaskRecord
            do {
                record = try await session.studio.submit(old.request)
            } catch let e as StudioError {
                throw StudioSession.failure(e, store: session.store, ctx: ctx)
            } catch {
                throw CLIFailure(.ioError, String(describing: error))
            }
            if !output.json { ctx.console.err("submitted \(record.shownTaskID ?? "-") again from #\(old.localID); local id #\(record.localID)") }
            if sending.wait {
                record = try await WatchLoop(session: session, ctx: ctx, json: false).run([record.localID]).first ?? record
                if !output.json { WatchLoop.summarize([record], ctx: ctx, urls: true) }
            }
            if output.json { ctx.console.out(RecordFormat.json(record).serialized()) } else if !sending.wait { ctx.console.out("\(record.shownTaskID ?? "-") \(record.statusLabel)") }
            return sending.wait ? WatchLoop.status([record], downloads: !sending.noDownload) : .ok
        }
    }

    /// Every request of a run again, in the order they were made, as a new run.
    func rerunRun(_ id: Int64, _ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        if task != nil { throw CLIFailure(.invalidInput, "give a task or --run, not both") }
        let store = try StudioSession.openStore(ctx)
        let found: RunRecord?
        let tasks: [TaskRecord]
        do {
            found = try await store.run(id)
            var q = HistoryQuery()
            q.run = id
            tasks = try await store.searchAll(q)
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        guard let found, !tasks.isEmpty else { throw CLIFailure(.invalidInput, "there is no run #\(id) (darkroom history lists runs' tasks with --run)") }
        return try await RunSender(requests: tasks.map(\.request), names: tasks.map { "#\($0.localID)" },
                                   expression: "rerun of run #\(id): \(found.expression)", axisValues: found.axes,
                                   dryRun: false, json: output.json, sending: sending, connection: connection).send(ctx)
    }
}
