import DarkroomCore
import DarkroomHistory
import Foundation

/// Requests sent as one run (a matrix from `submit`, or `batch`): every one
/// validated before any is sent, listed with `dryRun`, confirmed when there are
/// more than 4 (a terminal asks; otherwise `yes` must be given), then sent one
/// after another (never two POSTs at once) and, with `wait`, watched to the end
/// together. A request that fails to send stops the rest; those sent stay sent.
struct RunSender {
    let requests: [ImageRequest]
    /// How each request is named in messages ("request 3", "line 7").
    let names: [String]
    /// " (2 prompts × 2 models)", or empty.
    let axes: String
    let dryRun: Bool
    let json: Bool
    let yes: Bool
    let wait: Bool
    let download: Bool
    let connection: ConnectionOptions

    /// More than this many requests are sent only when confirmed.
    static let askAbove = 4

    func send(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        // Every request valid, or none sent.
        var problems: [String] = []
        var valid: [ValidRequest] = []
        for (i, r) in requests.enumerated() {
            switch RequestValidator.validate(r) {
            case let .success(v): valid.append(v)
            case let .failure(f):
                problems += f.problems.map { "  \(names[i]) (\(MatrixSubmit.label(r))): --\($0.field.flagName): \($0.message)" }
            }
        }
        guard problems.isEmpty else {
            throw CLIFailure(.invalidInput, "\(problems.count == 1 ? "a request is" : "requests are") not valid; nothing was sent:\n" + problems.joined(separator: "\n"))
        }
        let units = requests.reduce(0) { $0 + PriceTable.billableUnits($1) }
        let total = "\(requests.count) request\(requests.count == 1 ? "" : "s"), \(MatrixSubmit.number(units)) billable unit\(units == 1 ? "" : "s")" + axes
        if dryRun {
            for (i, v) in valid.enumerated() {
                if json {
                    ctx.console.out(RequestEncoder.jsonObject(v).serialized())
                } else {
                    ctx.console.out("\(i + 1)\t\(MatrixSubmit.label(requests[i]))")
                }
            }
            ctx.console.err(total + "; nothing was sent (--dry-run)")
            return .ok
        }
        if valid.count > Self.askAbove && !yes {
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
            var records: [TaskRecord] = []
            for (i, r) in requests.enumerated() {
                do {
                    let record = try await session.studio.submit(r)
                    records.append(record)
                    if !json {
                        ctx.console.err("submitted \(i + 1)/\(valid.count): \(record.taskID ?? "-") (\(MatrixSubmit.label(r))); local id #\(record.localID)")
                    }
                } catch {
                    // What was sent stays sent (and watched); the rest is not sent.
                    let sent = records.map { "#\($0.localID)" }.joined(separator: " ")
                    ctx.console.err("\(names[i]) failed (\(i + 1) of \(valid.count)); \(records.count) sent before it\(sent.isEmpty ? "" : " (\(sent))"), \(valid.count - i - 1) not sent")
                    if let e = error as? StudioError { throw StudioSession.failure(e, store: session.store, ctx: ctx) }
                    throw CLIFailure(.ioError, String(describing: error))
                }
            }
            if wait {
                records = try await WatchLoop(session: session, ctx: ctx, json: false).run(records.map(\.localID))
                if json {
                    for r in records { ctx.console.out(RecordFormat.json(r).serialized()) }
                    WatchLoop.warnUnsaved(records, ctx: ctx)
                } else {
                    WatchLoop.summarize(records, ctx: ctx, urls: true)
                }
                return WatchLoop.status(records, downloads: download)
            }
            for r in records {
                ctx.console.out(json ? RecordFormat.json(r).serialized() : "\(r.taskID ?? "-") \(r.statusLabel)")
            }
            if !json { ctx.console.err("follow them with: darkroom watch") }
            return .ok
        }
    }

}
