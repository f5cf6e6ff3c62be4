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
        let old = try StudioSession.find(task, in: try StudioSession.openStore(ctx))
        guard !old.request.model.isEmpty, !old.request.prompt.isEmpty else {
            throw CLIFailure(.invalidInput, "#\(old.localID) was watched by id only; darkroom does not know its request")
        }
        let session = try StudioSession.open(ctx, connection: connection, download: true)
        defer { Task { await session.studio.shutdown() } }
        var record: TaskRecord
        do {
            try await session.studio.start()
            record = try await session.studio.submit(old.request)
        } catch let e as StudioError {
            if case .invalid = e { throw CLIFailure(.invalidInput, e.description) }
            throw CLIFailure(.unavailable, e.description)
        } catch {
            throw CLIFailure(.unavailable, "\(error)")
        }
        if !json { ctx.console.err("submitted \(record.taskID ?? "-") again from #\(old.localID); local id #\(record.localID)") }
        if wait {
            record = try await WatchLoop(session: session, ctx: ctx, json: false).run([record.localID]).first ?? record
            if !json { WatchLoop.summarize([record], ctx: ctx, urls: true) }
        }
        if json { ctx.console.out(RecordFormat.json(record).serialized()) } else if !wait { ctx.console.out("\(record.taskID ?? "-") \(record.state.label)") }
        return WatchLoop.status([record]) == .ok || !wait ? .ok : .taskFailed
    }
}
