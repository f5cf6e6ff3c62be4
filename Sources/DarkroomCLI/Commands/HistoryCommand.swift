import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past tasks, newest first, with full-text search over prompts.")

    @Option(name: .long, help: "Only prompts containing every word of TEXT; #name for a tag, * for starred.")
    var search: String?

    @Option(name: .long, help: ArgumentHelp("Only tasks in this state (repeatable): \(TaskStateOption.names)."))
    var status: [String] = []

    @Option(name: .long, help: "Only tasks of this model.", completion: .models)
    var model: String?

    @Option(name: .long, help: "Only the tasks of this run (a submit with several values, or a batch).", completion: .runIDs)
    var run: Int64?

    @Option(name: .long, help: "Only tasks of this profile.", completion: .profiles)
    var profile: String?

    @Option(name: .long, help: "Only tasks newer than this many days.")
    var days: Double?

    @Option(name: .long, help: "How many tasks to list (default 30, at most 1000).")
    var limit: Int = 30

    @Option(name: .long, help: "List tasks older than this local id (the last id of the previous page).")
    var before: Int64?

    @Option(name: .long, help: ArgumentHelp("The family tree of a task: it and every task made from its pictures (remixes), and theirs.", valueName: "task"))
    var lineage: String?

    @OptionGroup(title: "Starred, tags, hidden") var curation: CurationOptions

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let states = try TaskStateOption.parse(status)
        guard (1...1000).contains(limit) else { throw CLIFailure(.invalidInput, "--limit must be between 1 and 1000") }
        let store = try StudioSession.openStore(ctx)
        if let lineage { return try await tree(lineage, store: store, ctx: ctx) }
        var query = HistoryQuery(text: search, states: states, model: model, profile: profile,
                                 since: days.map { ctx.now().addingTimeInterval(-$0 * 86_400) }, before: before, limit: limit)
        query.run = run
        try curation.apply(to: &query)
        let page: [TaskRecord]
        do {
            page = try await store.searchWithDetails(query)
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        if output.json {
            for r in page { ctx.console.out(RecordFormat.json(r, children: (try? await store.children(of: r.localID)) ?? []).serialized()) }
        } else if page.isEmpty {
            ctx.console.err("no tasks match")
        } else {
            ctx.console.out(RecordFormat.table(page, now: ctx.now()))
            if page.count == limit, let last = page.last { ctx.console.err("more: darkroom history --before \(last.localID)") }
        }
        return .ok
    }

    /// `--lineage`: the tree as text, or each task of it as a JSON line (with its children).
    func tree(_ ref: String, store: HistoryStore, ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let root = try await StudioSession.find(ref, in: store)
        do {
            let node = try await store.lineage(of: root.localID)
            var ids: [Int64] = []
            func collect(_ n: LineageNode) { ids.append(n.localID); n.children.forEach(collect) }
            collect(node)
            var records: [Int64: TaskRecord] = [:]
            for id in ids { records[id] = try await store.record(localID: id) }
            if output.json {
                for id in ids {
                    guard let r = records[id] else { continue }
                    ctx.console.out(RecordFormat.json(r, children: try await store.children(of: id)).serialized())
                }
            } else {
                // The tree goes down from the task; where it came from is said above it.
                if !root.request.origins.isEmpty {
                    ctx.console.out("(#\(root.localID) came from " + root.request.origins.map(\.label).joined(separator: ", ")
                                    + ": darkroom history --lineage \(root.request.origins[0].localID) shows its family)")
                }
                ctx.console.out(RecordFormat.lineage(node, records: records))
            }
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        return .ok
    }
}
