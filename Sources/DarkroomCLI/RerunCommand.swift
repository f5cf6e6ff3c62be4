import ArgumentParser
import DarkroomCore
import DarkroomHistory

struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Submit a past task's request again, as a new task (also for a submission whose outcome is unknown).")

    @Argument(help: "A task id or local id.")
    var task: String

    @Flag(name: .long, help: "Poll until the new task finishes and save its results.")
    var wait = false

    @Flag(name: .long, help: "Print the new task as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let old = try await StudioSession.find(task, in: try StudioSession.openStore(ctx))
        guard !old.request.model.isEmpty, !old.request.prompt.isEmpty else {
            throw CLIFailure(.invalidInput, "#\(old.localID) was watched by id only; darkroom does not know its request")
        }
        let session = try await StudioSession.open(ctx, connection: connection, download: true)
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
            if !json { ctx.console.err("submitted \(record.taskID ?? "-") again from #\(old.localID); local id #\(record.localID)") }
            if wait {
                record = try await WatchLoop(session: session, ctx: ctx, json: false).run([record.localID]).first ?? record
                if !json { WatchLoop.summarize([record], ctx: ctx, urls: true) }
            }
            if json { ctx.console.out(RecordFormat.json(record).serialized()) } else if !wait { ctx.console.out("\(record.taskID ?? "-") \(record.statusLabel)") }
            return wait ? WatchLoop.status([record]) : .ok
        }
    }
}
