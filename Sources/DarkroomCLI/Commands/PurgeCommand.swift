import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// `darkroom purge --hidden`: the one command that deletes pictures. It lists
/// what goes and asks; a script says `--yes`.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove hidden tasks for good: their rows in the history and their saved pictures (lists them and asks first).",
        discussion: """
            Only hidden tasks (`darkroom hide ID`, x in the TUI) are ever removed, and only their files in darkroom's \
            results folder; copies written by `export` or `download --to` stay. Nothing else in darkroom deletes a picture.
              darkroom purge --hidden --older-than 30d
            """)

    @Flag(name: .long, help: "Hidden tasks (required: the only kind purge removes).")
    var hidden = false

    @Option(name: .long, help: ArgumentHelp("Only tasks created longer ago than this: 30d, 12h, 2w, 90m (default: every hidden task).",
                                            valueName: "age"))
    var olderThan: String?

    @Flag(name: .long, help: "List what would go, remove nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Remove without asking (required without a terminal).")
    var yes = false

    @OptionGroup(title: "Output") var output: JSONOutput

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        guard hidden else {
            throw CLIFailure(.invalidInput, "purge removes hidden tasks only: say so with --hidden (darkroom history --hidden lists them)")
        }
        let age = try olderThan.map { a throws(CLIFailure) in
            guard let s = Self.seconds(a) else {
                throw CLIFailure(.invalidInput, "--older-than \(TerminalSanitizer.clean(a)): write a number and a unit, e.g. 30d, 12h, 2w or 90m")
            }
            return s
        } ?? 0
        let store = try StudioSession.openStore(ctx)
        let results = DarkroomPaths(environment: ctx.environment).dataDirectory.appendingPathComponent("results", isDirectory: true).standardizedFileURL.path + "/"
        let candidates: [TaskRecord]
        do { candidates = try await store.purgeCandidates(createdBefore: ctx.now().addingTimeInterval(-age)) } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        for r in candidates where !r.state.isFinal {
            ctx.console.err("#\(r.localID) kept: it is \(r.statusLabel), not ended (purge it once it has)")
        }
        // A task that has not ended is kept: the server may still make (and bill) it. Of the
        // others, only the files in darkroom's own results folder are darkroom's to delete.
        let due = candidates.filter(\.state.isFinal).map { r in
            (task: r, files: r.results.compactMap(\.file).filter { URL(fileURLWithPath: $0.path).standardizedFileURL.path.hasPrefix(results) })
        }
        if due.isEmpty {
            if candidates.isEmpty { ctx.console.err(olderThan.map { "no hidden task is older than \($0)" } ?? "no hidden task") }
            return .ok
        }
        let bytes = due.flatMap(\.files).reduce(0) { $0 + $1.bytes }
        let count = due.flatMap(\.files).count
        let summary = "\(due.count) hidden task\(due.count == 1 ? "" : "s") and \(count) picture\(count == 1 ? "" : "s") (\(ByteCount.text(bytes)))"
        if !output.json || dryRun {
            for (r, files) in due {
                let line = "#\(r.localID)  \(RecordFormat.iso(r.createdAt).prefix(10))  \(r.statusLabel)  \(r.request.model)  "
                    + DisplayWidth.truncate(RecordFormat.firstLine(r.request.prompt), to: 40) + "  \(files.count) file(s)"
                ctx.console.out(output.json ? Self.json(r, files: files, removed: false).serialized() : line)
            }
        }
        if dryRun {
            ctx.console.err("would remove \(summary); nothing removed (--dry-run)")
            return .ok
        }
        if !yes {
            guard let confirm = ctx.confirm else {
                throw CLIFailure(.invalidInput, "purge asks before removing \(summary): run it in a terminal, or pass --yes")
            }
            guard confirm("Remove \(summary) for good?") else {
                ctx.console.err("nothing removed")
                return .ok
            }
        }
        let removed: [Int64]
        do { removed = try await store.purge(localIDs: due.map(\.task.localID)) } catch {
            throw CLIFailure(.ioError, "cannot write the history \(store.path): \(HistoryStore.describe(error))")
        }
        var failed: [String] = []
        for (r, files) in due where removed.contains(r.localID) {
            failed += Self.remove(files)
            if output.json { ctx.console.out(Self.json(r, files: files, removed: true).serialized()) }
        }
        let kept = due.count - removed.count
        ctx.console.err("removed \(removed.count) task\(removed.count == 1 ? "" : "s")"
                        + (kept > 0 ? "; \(kept) shown again meanwhile, kept" : ""))
        for f in failed { ctx.console.warning("could not remove \(f)") }
        return failed.isEmpty ? .ok : .ioError
    }

    /// Removes each picture and its sidecar (`<index>.json`, which holds the prompt),
    /// then the task's folder once empty. Returns the paths that could not be removed.
    static func remove(_ files: [SavedResult]) -> [String] {
        var failed: [String] = []
        for f in files {
            for path in [f.path, (f.path as NSString).deletingPathExtension + ".json"] {
                do { try FileManager.default.removeItem(atPath: path) } catch CocoaError.fileNoSuchFile {} catch { failed.append(path) }
            }
        }
        if let folder = files.first.map({ ($0.path as NSString).deletingLastPathComponent }),
           (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: folder)
        }
        return failed
    }

    static func json(_ r: TaskRecord, files: [SavedResult], removed: Bool) -> JSONValue {
        .object([("local_id", .int(Int(r.localID))), ("task_id", r.taskID.map { .string($0) } ?? .null),
                 ("created_at", .string(RecordFormat.iso(r.createdAt))), ("files", .array(files.map { .string($0.path) })),
                 ("removed", .bool(removed))])
    }

    /// `30d`, `12h`, `2w`, `90m`, `45s` in seconds.
    static func seconds(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = t.last, let n = Double(t.dropLast()), n >= 0, n.isFinite else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86_400
        case "w": return n * 7 * 86_400
        default: return nil
        }
    }
}
