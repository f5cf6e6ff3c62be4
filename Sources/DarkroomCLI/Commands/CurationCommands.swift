import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

/// `darkroom star`: marks a keeper (a task, or one picture with `#12:1`).
struct StarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "star",
        abstract: "Star a task, or one of its pictures (#12:1 is the second picture of #12); --off takes the star away (on a task: its pictures' too).",
        discussion: "Starred tasks are found with `darkroom history --starred`, `*` in the TUI's search, and `export --starred`.")

    @Argument(help: ArgumentHelp("A task (12, #12 or a task id), or one picture of it (#12:1, counted from 0).", valueName: "task"))
    var task: String

    @Flag(name: .long, help: "Take the star away.")
    var off = false

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let store = try StudioSession.openStore(ctx)
        // `#12` stars the task; `#12:1` its second picture.
        guard let (ref, index) = RemixSource.split(task) else {
            throw CLIFailure(.invalidInput, "\(TerminalSanitizer.clean(task)): after the colon comes the picture's number, from 0 (#12:1 is the second picture of #12)")
        }
        let picture: Int? = ref == task.trimmingCharacters(in: .whitespaces) ? nil : index
        let r = try await StudioSession.find(ref, in: store)
        let changed = try await Curate.write(store) { try await store.setStarred(localID: r.localID, picture: picture, !off) }
        Curate.report(changed, ctx: ctx, json: output.json,
                      (off ? "unstarred" : "starred") + " #\(r.localID)" + (picture.map { " picture \($0 + 1)" } ?? ""))
        return .ok
    }
}

/// `darkroom tag ID +a -b`: files a task under words.
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add (+name) and remove (-name) a task's tags; with none given, list them.",
        discussion: """
            A tag is one word (letters, digits, - _ . : /), the same in any case. Find tagged tasks with \
            `darkroom history --tag NAME` or `#name` in a search.
              darkroom tag 12 +night +film -draft
            """)

    @Argument(help: ArgumentHelp("A task: 12, #12 or a task id.", valueName: "task"))
    var task: String

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("+name adds a tag, -name removes one (a bare name adds).", valueName: "changes"),
              completion: .tagChanges)
    var changes: [String] = []

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        var add: [TaskTag] = [], remove: [TaskTag] = []
        for change in changes {
            let removing = change.hasPrefix("-")
            let name = change.hasPrefix("+") || removing ? String(change.dropFirst()) : change
            switch TaskTag.parse(name) {
            case .success(let t): if removing { remove.append(t) } else { add.append(t) }
            case .failure(let e): throw CLIFailure(.invalidInput, "\(TerminalSanitizer.clean(change)): \(e)")
            }
        }
        let store = try StudioSession.openStore(ctx)
        let r = try await StudioSession.find(task, in: store)
        let changed = try await Curate.write(store) { try await store.changeTags(localID: r.localID, add: add, remove: remove) }
        let tags = changed.tags.isEmpty ? "no tags" : changed.tags.map { "#\($0)" }.joined(separator: " ")
        Curate.report(changed, ctx: ctx, json: output.json, "#\(r.localID): \(tags)")
        return .ok
    }
}

/// `darkroom hide`: puts a task away without deleting anything.
struct HideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hide",
        abstract: "Hide a task: kept with its files, left out of history, searches, exports and the TUI's lists; --off shows it again.",
        discussion: "`darkroom history --hidden` lists the hidden; `darkroom purge --hidden` removes them for good (it asks first).")

    @Argument(help: ArgumentHelp("A task: 12, #12 or a task id.", valueName: "task"))
    var task: String

    @Flag(name: .long, help: "Show it again.")
    var off = false

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let store = try StudioSession.openStore(ctx)
        let r = try await StudioSession.find(task, in: store)
        let changed = try await Curate.write(store) { try await store.setHidden(localID: r.localID, !off) }
        Curate.report(changed, ctx: ctx, json: output.json,
                      off ? "#\(r.localID) shown again" : "#\(r.localID) hidden (darkroom hide \(r.localID) --off shows it again)")
        return .ok
    }
}

/// What the three commands share: the write, its errors, the answer.
enum Curate {
    static func write(_ store: HistoryStore, _ body: () async throws -> TaskRecord?) async throws(CLIFailure) -> TaskRecord {
        do {
            guard let r = try await body() else { throw CLIFailure(.invalidInput, "the task is no longer in the history") }
            return r
        } catch let f as CLIFailure {
            throw f
        } catch let e as CurationError {
            throw CLIFailure(.invalidInput, e.description)
        } catch {
            throw CLIFailure(.ioError, "cannot write the history \(store.path): \(HistoryStore.describe(error))")
        }
    }

    /// The task as JSON (as `show --json`), or a line saying what changed.
    static func report(_ r: TaskRecord, ctx: CLIContext, json: Bool, _ line: String) {
        ctx.console.out(json ? RecordFormat.json(r).serialized() : line)
    }
}
