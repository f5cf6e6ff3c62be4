import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show everything darkroom knows about one task: request, timeline, results and files.")

    @Argument(help: "A task id, or darkroom's local id (as listed by `darkroom history`, e.g. 12 or #12).")
    var task: String

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let store = try StudioSession.openStore(ctx)
        let r = try await StudioSession.find(task, in: store)
        let children: [LineageChild]
        do { children = try await store.children(of: r.localID) } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        ctx.console.out(output.json ? RecordFormat.json(r, children: children).serialized(pretty: true) : RecordFormat.detail(r, children: children))
        return .ok
    }
}
