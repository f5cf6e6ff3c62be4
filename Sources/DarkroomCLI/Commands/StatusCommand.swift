import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Query one task once and print its status, progress, results or error.")

    @Argument(help: "The task id that submit printed.")
    var taskID: String

    @OptionGroup(title: "Output") var output: JSONOutput

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        // `#12` is the local id: asked about by the id the server gave it (whatever it holds).
        var id = taskID.trimmingCharacters(in: .whitespacesAndNewlines)
        if StudioSession.localID(id) != nil {
            let r = try await StudioSession.find(id, in: try StudioSession.openStore(ctx))
            guard let server = r.taskID else { throw CLIFailure(.invalidInput, "#\(r.localID) has no task id (it is \(r.statusLabel)): nothing to ask the server") }
            id = server
        } else if !DarkroomClient.isPlausibleTaskID(id) {
            throw CLIFailure(.invalidInput, ClientError.invalidTaskID(TerminalSanitizer.visible(taskID)).description)
        }
        let config = try await connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        let task: ImageTask
        do { task = try await connection.client(ctx, config).task(id: id) } catch let e as ClientError {
            throw CLIFailure(.unavailable, e.description)
        } catch {
            throw CLIFailure(.unavailable, "\(error)")
        }
        // Keep history current when the task is one darkroom knows.
        if let store = try? StudioSession.openStore(ctx) { _ = try? await store.apply(task, endpoint: Endpoint(config.baseURL)) }
        if output.json {
            ctx.console.out(TaskJSON.object(task).serialized())
        } else {
            var line = "\(TerminalSanitizer.visible(task.id))  \(task.status.name)"
            if task.rawStatus != task.status.name { line += " (\(task.rawStatus))" }
            if let p = task.progress { line += "  \(p)%" }
            if let e = task.errorMessage { line += "  \(e)" }
            ctx.console.out(line)
            for u in task.resultURLs { ctx.console.out(TerminalSanitizer.link(u)) }
        }
        return task.status == .failed ? .taskFailed : .ok
    }
}
