import ArgumentParser
import DarkroomCore
import DarkroomHistory

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Query one task once and print its status, progress, results or error.")

    @Argument(help: "The task id that submit printed.")
    var taskID: String

    @Flag(name: .long, help: "Print the task as one JSON object on stdout.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        guard DarkroomClient.isPlausibleTaskID(taskID.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CLIFailure(.invalidInput, ClientError.invalidTaskID(taskID).description)
        }
        let config = try await connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        let task: ImageTask
        do { task = try await connection.client(ctx, config).task(id: taskID.trimmingCharacters(in: .whitespacesAndNewlines)) } catch let e as ClientError {
            throw CLIFailure(.unavailable, e.description)
        } catch {
            throw CLIFailure(.unavailable, "\(error)")
        }
        // Keep history current when the task is one darkroom knows.
        if let store = try? StudioSession.openStore(ctx) { _ = try? await store.apply(task, baseURL: config.baseURL.absoluteString) }
        if json {
            ctx.console.out(TaskJSON.object(task).serialized())
        } else {
            var line = "\(TerminalSanitizer.clean(task.id))  \(task.status.name)"
            if task.rawStatus != task.status.name { line += " (\(task.rawStatus))" }
            if let p = task.progress { line += "  \(p)%" }
            if let e = task.errorMessage { line += "  \(e)" }
            ctx.console.out(line)
            for u in task.resultURLs { ctx.console.out(u) }
        }
        return task.status == .failed ? .taskFailed : .ok
    }
}
