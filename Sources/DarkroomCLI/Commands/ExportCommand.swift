import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// `darkroom export DIR`: a gallery of saved pictures that opens from disk.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write saved pictures, their sidecars and an index.html that opens from disk (no server, nothing from the network).",
        discussion: """
        DIR is created if needed; it must be new, empty, or an earlier export. Pictures are \
        copied as pictures/<local id>-<task id>-<index>.<ext>, newest first in the page. \
        Prints how many pictures were written and the page to open.
        """)

    @Argument(help: "The folder to write.")
    var dir: String

    @Option(name: .long, help: "Only prompts containing every word of TEXT; #name for a tag, * for starred.")
    var search: String?

    @Option(name: .long, help: "Only tasks created on or after DATE (YYYY-MM-DD in your time zone, or an ISO 8601 time).")
    var since: String?

    @Option(name: .long, help: "Only tasks in this state (repeatable); pictures exist for succeeded tasks.")
    var status: [String] = []

    @Option(name: .long, help: "Only tasks of this model.", completion: .models)
    var model: String?

    @Option(name: .long, help: "Only tasks of this profile.", completion: .profiles)
    var profile: String?

    @OptionGroup(title: "Starred, tags, hidden") var curation: CurationOptions

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let states = try TaskStateOption.parse(status)
        let zone = ctx.environment["TZ"].flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
        let from = try since.map { s throws(CLIFailure) in try Self.date(s, zone: zone) }
        let store = try StudioSession.openStore(ctx)
        var tasks: [TaskRecord] = []
        var before: Int64?
        var query = HistoryQuery(text: search, states: states, model: model, profile: profile, since: from, limit: 1000)
        try curation.apply(to: &query)
        do {
            while true {
                query.before = before
                let page = try await store.searchWithDetails(query)
                tasks += page
                guard page.count == 1000, let last = page.last else { break }
                before = last.localID
            }
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        // Starred: a task starred itself gives all its pictures; one starred picture by picture, only those.
        if query.starred || SearchTerms(search).starred {
            tasks = tasks.map { r in
                var r = r
                r.results = r.results.filter { r.isStarred(picture: $0.index) }
                return r
            }
        }
        let target = URL(fileURLWithPath: dir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let report: GalleryExport.Report
        do {
            report = try GalleryExport.write(tasks, to: target, timeZone: zone, now: ctx.now())
        } catch {
            switch error {
            case .notEmpty: throw CLIFailure(.invalidInput, error.description)
            case .cannotCreate: throw CLIFailure(.cannotCreate, error.description)
            case .cannotWrite: throw CLIFailure(.ioError, error.description)
            }
        }
        for m in report.missing { ctx.console.err("skipped \(TerminalSanitizer.clean(m)): the file is gone (darkroom download ID fetches it again)") }
        if output.json {
            ctx.console.out(JSONValue.object([
                ("pictures", .int(report.pictures)), ("tasks", .int(report.tasks)), ("index", .string(report.index.path)),
                ("missing", .int(report.missing.count)),
            ]).serialized())
        } else {
            let noun = report.pictures == 1 ? "picture" : "pictures"
            ctx.console.out("Wrote \(report.pictures) \(noun) from \(report.tasks) task\(report.tasks == 1 ? "" : "s") to \(target.path)")
            ctx.console.out("Open \(report.index.absoluteString)")
            if report.pictures == 0 { ctx.console.err("no saved pictures match: the page is empty") }
        }
        return .ok
    }

    /// `YYYY-MM-DD` (the start of that day in `zone`) or an ISO 8601 time.
    static func date(_ s: String, zone: TimeZone) throws(CLIFailure) -> Date {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = zone
        day.dateFormat = "yyyy-MM-dd"
        day.isLenient = false
        if s.count == 10, let d = day.date(from: s) { return d }
        // An offset is at most ±14:00 (RFC 3339 allows any two digits: +99:00 is no place's time).
        if let r = s.range(of: #"[+-]([0-9]{2}):?([0-9]{2})$"#, options: .regularExpression), s.count > 10 {
            let digits = s[r].filter(\.isNumber)
            if let h = Int(digits.prefix(2)), let m = Int(digits.suffix(2)), h * 60 + m > 14 * 60 || m > 59 {
                throw CLIFailure(.invalidInput, "--since \(s): the offset \(s[r]) is no time zone's (at most ±14:00)")
            }
        }
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: s) { return d }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: s) { return d }
        throw CLIFailure(.invalidInput, "--since \(s) is not a date: use YYYY-MM-DD (e.g. 2026-11-01) or an ISO 8601 time (2026-11-01T09:30:00Z)")
    }
}

/// `--status` values as the CLI takes them (`running` is `processing`, `-` may be `_`).
/// The states `--status` takes: every state a task's JSON may show (`status`),
/// one vocabulary everywhere (README, "Task states"); `running` is `processing`.
enum TaskStateOption {
    static var names: String { TaskState.allCases.map(\.rawValue).joined(separator: ", ") }

    static func parse(_ values: [String]) throws(CLIFailure) -> Set<TaskState> {
        var states: Set<TaskState> = []
        for s in values {
            let normalized = s.lowercased().replacingOccurrences(of: "-", with: "_")
            guard let st = TaskState(rawValue: normalized == "running" ? "processing" : normalized) else {
                throw CLIFailure(.invalidInput, "unknown status \"\(s)\"; use one of \(TaskState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            states.insert(st)
        }
        return states
    }
}
