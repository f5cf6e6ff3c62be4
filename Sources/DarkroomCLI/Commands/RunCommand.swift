import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio

/// `darkroom run resume|pause|cancel ID`: the requests of a run not sent yet.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The requests of a run not sent yet: resume (send them), pause (hold them), or cancel them.",
        discussion: """
        A run's requests are recorded before the first is sent. Those not sent yet wait \
        ("to send"); when darkroom stops before their turn they wait paused, and are sent \
        only by `darkroom run resume ID` (or p in the TUI). `darkroom history --run ID` lists them.
        """,
        subcommands: [Resume.self, Pause.self, Cancel.self])

    /// Warns of paused requests (left by a darkroom that stopped, or paused by the user), by run.
    static func warnPaused(_ paused: [TaskRecord], ctx: CLIContext) {
        var byRun: [Int64: Int] = [:]
        for r in paused { byRun[r.runID ?? 0, default: 0] += 1 }
        for (run, count) in byRun.sorted(by: { $0.key < $1.key }) where run > 0 {
            ctx.console.warning("\(count) request\(count == 1 ? "" : "s") of run #\(run) not sent, paused: `darkroom run resume \(run)` sends them, `darkroom run cancel \(run)` drops them")
        }
    }

    /// The unsent requests of run `id` in `states`, or a clear error when there are none.
    static func unsent(_ id: Int64, _ states: Set<TaskState>, store: HistoryStore) async throws(CLIFailure) -> [TaskRecord] {
        let all: [TaskRecord]
        let run: RunRecord?
        do {
            run = try await store.run(id)
            all = try await store.unsent(run: id)
        } catch {
            throw CLIFailure(.ioError, "cannot read the history \(store.path): \(HistoryStore.describe(error))")
        }
        guard run != nil else { throw CLIFailure(.invalidInput, "there is no run #\(id) (darkroom history lists runs' tasks with --run)") }
        return all.filter { states.contains($0.state) }
    }

    /// `run resume` found nothing paused: says why, in the run's own words, and
    /// with `--wait` waits for what was sent (or says there is nothing to wait for
    /// here: never exit 0 having waited for nothing).
    static func nothingPaused(_ run: Int64, session: StudioSession, ctx: CLIContext, json: Bool, wait: Bool) async throws(CLIFailure) -> ExitStatus {
        var q = HistoryQuery()
        q.run = run
        let tasks: [TaskRecord]
        do { tasks = try await session.store.searchAll(q) } catch {
            throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
        }
        let waiting = tasks.filter { $0.state == .waiting || $0.state == .intent }.count
        let cancelled = tasks.filter { $0.state == .cancelled }.count
        let sent = tasks.filter { $0.taskID != nil }
        if waiting > 0 {
            ctx.console.err("run #\(run): \(waiting) request\(waiting == 1 ? " is" : "s are") being sent by another darkroom; nothing is paused here"
                            + (wait ? " (`darkroom watch` follows the run's tasks once they are sent)" : ""))
            return wait ? .invalidInput : .ok
        }
        var why = "run #\(run) has no paused request"
        if cancelled > 0 { why += ": \(cancelled) \(cancelled == 1 ? "was" : "were") cancelled (never sent)" }
        why += sent.isEmpty ? "; nothing of it was sent" : "; \(sent.count) of \(tasks.count) \(sent.count == 1 ? "was" : "were") sent"
        ctx.console.err(why)
        guard wait else { return .ok }
        guard !sent.isEmpty else { return .invalidInput }
        // Waits for what was sent, as `watch` would.
        let records = try await WatchLoop(session: session, ctx: ctx, json: json).run(sent.map(\.localID))
        if !json { WatchLoop.summarize(records, ctx: ctx, urls: false) }
        return WatchLoop.status(records)
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the paused requests of a run, through the submit queue (nothing already sent is sent again).")

        @Argument(help: "The run's id (darkroom history --run ID).", completion: .runIDs)
        var run: Int64

        @Flag(name: .long, help: "Poll until every task sent finishes and save the results; exit 0 only if all succeeded.")
        var wait = false

        @OptionGroup(title: "Output") var output: JSONOutput

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
        }

        func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
            let session = try await StudioSession.open(ctx, connection: connection, download: true)
            return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
                do {
                    let (unknown, _, _) = try await session.studio.start()
                    for u in unknown where u.runID == run {
                        ctx.console.warning("#\(u.localID) of run #\(run) may or may not have been created: darkroom stopped before the server answered. It is not sent again; `darkroom rerun \(u.localID)` does it on purpose")
                    }
                } catch {
                    throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
                }
                let all = try await RunCommand.unsent(run, [.paused], store: session.store)
                // Made for another endpoint: sent there, with that profile, never here.
                let here = Endpoint(session.config.baseURL)
                let elsewhere = all.filter { $0.endpoint != here }
                let paused = all.filter { $0.endpoint == here }
                for (url, group) in Dictionary(grouping: elsewhere, by: \.baseURL) {
                    ctx.console.warning("\(group.count) paused request\(group.count == 1 ? " was" : "s were") made for \(TerminalSanitizer.clean(url)), not \(here): "
                                        + "resume \(group.count == 1 ? "it" : "them") with the profile (or --base-url) of that endpoint")
                }
                guard !paused.isEmpty else {
                    if !elsewhere.isEmpty { return .invalidInput }
                    return try await RunCommand.nothingPaused(run, session: session, ctx: ctx, json: output.json, wait: wait)
                }
                if !output.json { ctx.console.err("run #\(run): sending \(paused.count) paused request\(paused.count == 1 ? "" : "s")") }
                let outcomes: [RunOutcome]
                do { outcomes = try await session.studio.resume(paused.map(\.localID)) } catch {
                    throw CLIFailure(.ioError, "cannot write the history \(session.store.path): \(HistoryStore.describe(error)); nothing was sent")
                }
                if outcomes.isEmpty {
                    // Another `run resume` (or `p`) took them between the read and the write.
                    ctx.console.err("run #\(run): another darkroom resumed them first; they are being sent there")
                    return wait ? .invalidInput : .ok
                }
                return try await RunSender.finish(outcomes, run: run, names: paused.map { "#\($0.localID)" }, labels: paused.map(\.request.label),
                                                  session: session, ctx: ctx, json: output.json, wait: wait, download: true)
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold the requests of a run still waiting to be sent (by this or another darkroom) until resumed.")

        @Argument(help: "The run's id.", completion: .runIDs)
        var run: Int64

        func run() async throws {
            try await CLIRunner.run { ctx throws(CLIFailure) in
                try await RunCommand.move(run, from: [.waiting], ctx: ctx, verb: "paused") { store, ids in
                    try await store.moveUnsent(ids, to: .paused, reason: "paused by the user before it was sent")
                }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel the requests of a run not sent yet (waiting or paused): they are never sent.")

        @Argument(help: "The run's id.", completion: .runIDs)
        var run: Int64

        func run() async throws {
            try await CLIRunner.run { ctx throws(CLIFailure) in
                try await RunCommand.move(run, from: [.waiting, .paused], ctx: ctx, verb: "cancelled") { store, ids in
                    try await store.moveUnsent(ids, to: .cancelled)
                }
            }
        }
    }

    /// Pause and cancel: one write to history, which the sending process honours before each send.
    static func move(_ run: Int64, from: Set<TaskState>, ctx: CLIContext, verb: String,
                     _ write: @Sendable (HistoryStore, [Int64]) async throws -> [Int64]) async throws(CLIFailure) -> ExitStatus {
        let store = try StudioSession.openStore(ctx)
        let targets = try await unsent(run, from, store: store)
        let moved: [Int64]
        do { moved = try await write(store, targets.map(\.localID)) } catch {
            throw CLIFailure(.ioError, "cannot write the history \(store.path): \(HistoryStore.describe(error))")
        }
        ctx.console.err(moved.isEmpty ? "run #\(run) has no request left to be \(verb)"
                                      : "run #\(run): \(moved.count) request\(moved.count == 1 ? "" : "s") \(verb) (\(moved.map { "#\($0)" }.joined(separator: " ")))")
        return .ok
    }
}
