import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// Requests sent as one run (a matrix from `submit`, or `batch`): every one
/// validated before any is sent, listed with `dryRun`, confirmed when there are
/// more than 4 (a terminal asks; otherwise `yes` must be given), recorded as a
/// run in the history, then sent through the `SubmitQueue` (at most
/// `max_concurrent_submits` at once, a 429 holding the rest) and, with `wait`,
/// watched to the end together. A failure other than a 429 stops the requests
/// not yet started; those sent stay sent.
struct RunSender {
    let requests: [ImageRequest]
    /// How each request is named in messages ("request 3", "line 7").
    let names: [String]
    /// What made the run, kept in history: the command's prompt and choices, or the file.
    let expression: String
    /// The things that vary, kept in history and counted in the total.
    let axisValues: [(name: String, values: [String])]
    let dryRun: Bool
    let json: Bool
    let sending: SendingOptions
    let connection: ConnectionOptions
    var yes: Bool { sending.yes }
    var wait: Bool { sending.wait }
    var download: Bool { sending.download }

    func send(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        // Every request valid, allowed for the key, and within budget; or none sent.
        let local = ServerFacts.local(ctx, connection: connection)
        let plan = RunPlan(requests, axes: axisValues.map { RunAxis(name: $0.name, values: $0.values) }, expression: expression)
            .allowed(by: ModelAccess(local.facts), now: ctx.now()).priced(local.prices)
        let problems = plan.problems.enumerated().flatMap { i, list in
            list.map { "  \(names[i]) (\(requests[i].label)): --\($0.field.flagName): \($0.message)" }
        }
        guard problems.isEmpty else {
            throw CLIFailure(.invalidInput, "\(problems.count == 1 ? "a request is" : "requests are") not valid; nothing was sent:\n" + problems.joined(separator: "\n"))
        }
        let valid = plan.valid.compactMap { $0 }
        let total = plan.summary
        try BudgetGate.check(ctx, cost: plan.costAmount, what: "this run of \(requests.count) request\(requests.count == 1 ? "" : "s")",
                             local: local, sending: sending, dryRun: dryRun)
        if dryRun {
            for (i, v) in valid.enumerated() {
                if json {
                    // The body, and darkroom's own `style` (null without one; never sent).
                    ctx.console.out(StyleChoice.withStyle(RequestEncoder.jsonObject(v), requests[i].style).serialized())
                } else {
                    ctx.console.out("\(i + 1)\t\(requests[i].label)" + (requests[i].style.map { "  (\(StyleChoice.label($0)))" } ?? ""))
                }
            }
            ctx.console.err(total + "; nothing was sent (--dry-run)")
            return .ok
        }
        if valid.count > RequestMatrix.confirmAbove && !yes {
            guard let confirm = ctx.confirm else {
                throw CLIFailure(.invalidInput, "\(total): add --yes to send them (nothing was sent; --dry-run lists them)")
            }
            guard confirm("Send \(total)?") else {
                ctx.console.err("nothing was sent")
                return .ok
            }
        }
        let session = try await StudioSession.open(ctx, connection: connection, download: download)
        return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
            do { try await session.studio.start() } catch {
                throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
            }
            // Every request recorded as waiting before the first is sent: a crash leaves
            // them paused in history (never sent twice), and `darkroom run` resumes them.
            let run: Int64
            let ids: [Int64]
            do {
                run = try await session.store.createRun(expression: expression, axes: axisValues, size: requests.count)
                ids = try await session.studio.queue(requests, run: run)
            } catch let e as StudioError {
                throw StudioSession.failure(e, store: session.store, ctx: ctx)
            } catch {
                throw CLIFailure(.ioError, "cannot write the history \(session.store.path): \(HistoryStore.describe(error)); nothing was sent")
            }
            if !json { ctx.console.err("run #\(run): \(requests.count) request\(requests.count == 1 ? "" : "s") (darkroom history --run \(run))") }
            // Through the Studio's submit queue: at most `max_concurrent_submits` at once
            // (default 2); a 429 holds the rest until its Retry-After; nothing is sent twice.
            let outcomes = await session.studio.send(waiting: ids)
            return try await Self.finish(outcomes, run: run, names: names, labels: requests.map(\.label), session: session, ctx: ctx,
                                         json: json, wait: wait, download: download)
        }
    }

    /// Reports what became of each request of a run and, with `wait`, watches
    /// those sent to the end (exit 0 only when every request was sent and
    /// succeeded). Throws the first failure after reporting all.
    static func finish(_ outcomes: [RunOutcome], run: Int64, names: [String], labels: [String], session: StudioSession, ctx: CLIContext,
                       json: Bool, wait: Bool, download: Bool) async throws(CLIFailure) -> ExitStatus {
        var records: [TaskRecord] = []
        var firstFailure: StudioError?
        var held: [Int64] = []
        var cancelled = 0
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case let .sent(record):
                records.append(record)
                if !json {
                    ctx.console.err("submitted \(i + 1)/\(outcomes.count): \(record.shownTaskID ?? "-") (\(labels[i])); local id #\(record.localID)")
                }
            case let .failed(error):
                firstFailure = firstFailure ?? error
                ctx.console.err("\(names[i]) (\(i + 1) of \(outcomes.count)) not accepted: \(error.description)")
            case .notSent(_, .cancelled):
                cancelled += 1
            case let .notSent(id, _):
                held.append(id)
            }
        }
        // What became of those not sent, in the history's words (cancelled elsewhere, or paused and why).
        if cancelled > 0 { ctx.console.err("\(cancelled) of \(outcomes.count) cancelled before they were sent (never sent)") }
        if !held.isEmpty {
            let why = (try? await session.store.record(localID: held[0]))?.error.map { " (\(TerminalSanitizer.clean($0)))" } ?? ""
            ctx.console.warning("\(held.count) of \(outcomes.count) not sent\(why): they wait in run #\(run) (darkroom run resume \(run) sends them, darkroom run cancel \(run) drops them)")
        }
        let notSent = held.count
        let refused = outcomes.compactMap { o -> Int64? in
            if case let .failed(.submitFailed(record?, _)) = o { return record.localID }
            return nil
        }
        if case let .submitFailed(_, .api(e))? = firstFailure,
           let words = BudgetGate.quotaStop(e, run: run, paused: held.count, refused: refused, facts: ServerFacts.cached(session.config)) {
            ctx.console.err(words)
        }
        if let failure = firstFailure {
            let sent = records.map { "#\($0.localID)" }.joined(separator: " ")
            ctx.console.err("\(records.count) of \(outcomes.count) sent\(sent.isEmpty ? "" : " (\(sent))")")
            throw StudioSession.failure(failure, store: session.store, ctx: ctx)
        }
        if wait {
            records = try await WatchLoop(session: session, ctx: ctx, json: false).run(records.map(\.localID))
            if json {
                for r in records { ctx.console.out(RecordFormat.json(r).serialized()) }
                WatchLoop.warnUnsaved(records, ctx: ctx)
            } else {
                WatchLoop.summarize(records, ctx: ctx, urls: true)
            }
            let status = WatchLoop.status(records, downloads: download)
            // Requests left unsent are not a failed task: nothing created, as a refused submit (69).
            return status == .ok && notSent > 0 ? .unavailable : status
        }
        if records.isEmpty && notSent > 0 { return .unavailable }
        for r in records {
            ctx.console.out(json ? RecordFormat.json(r).serialized() : "\(r.shownTaskID ?? "-") \(r.statusLabel)")
        }
        if !json && !records.isEmpty { ctx.console.err("follow them with: darkroom watch") }
        return .ok
    }

}
