import DarkroomCore
import DarkroomHistory
import Foundation

/// `submit` with several values or prompt alternatives: every request made,
/// validated before any is sent, listed (`--dry-run`), confirmed when there are
/// more than 4, then sent one after another (never two POSTs at once) and, with
/// `--wait`, watched to the end together.
struct MatrixSubmit {
    let command: SubmitCommand
    let matrix: RequestMatrix

    /// More than this many requests are sent only when confirmed.
    static let askAbove = 4

    func run(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let expansion: RequestMatrix.Expansion
        do { expansion = try matrix.expand() } catch {
            throw CLIFailure(.invalidInput, "the requests are not valid; nothing was sent:\n  \(error.description)")
        }
        // Every request valid, or none sent.
        var problems: [String] = []
        var valid: [ValidRequest] = []
        for (i, r) in expansion.requests.enumerated() {
            switch RequestValidator.validate(r) {
            case let .success(v): valid.append(v)
            case let .failure(f):
                problems += f.problems.map { "  request \(i + 1) (\(Self.label(r))): --\($0.field.flagName): \($0.message)" }
            }
        }
        guard problems.isEmpty else {
            throw CLIFailure(.invalidInput, "\(problems.count == 1 ? "a request is" : "requests are") not valid; nothing was sent:\n" + problems.joined(separator: "\n"))
        }
        for n in expansion.notes { ctx.console.warning(n) }
        let units = expansion.requests.reduce(0) { $0 + PriceTable.billableUnits($1) }
        let total = "\(expansion.requests.count) requests, \(Self.number(units)) billable unit\(units == 1 ? "" : "s")"
            + (expansion.axes.isEmpty ? "" : " (" + expansion.axes.map { "\($0.values.count) \($0.name)\($0.values.count == 1 ? "" : "s")" }.joined(separator: " × ") + ")")
        if command.dryRun {
            for (i, v) in valid.enumerated() {
                if command.json {
                    ctx.console.out(RequestEncoder.jsonObject(v).serialized())
                } else {
                    ctx.console.out("\(i + 1)\t\(Self.label(expansion.requests[i]))")
                }
            }
            ctx.console.err(total + "; nothing was sent (--dry-run)")
            return .ok
        }
        if valid.count > Self.askAbove && !command.yes {
            guard let confirm = ctx.confirm else {
                throw CLIFailure(.invalidInput, "\(total): add --yes to send them (nothing was sent; --dry-run lists them)")
            }
            guard confirm("Send \(total)?") else {
                ctx.console.err("nothing was sent")
                return .ok
            }
        }
        let session = try await StudioSession.open(ctx, connection: command.connection, download: !command.noDownload)
        return try await session.closing { () async throws(CLIFailure) -> ExitStatus in
            do { try await session.studio.start() } catch {
                throw CLIFailure(.ioError, "cannot read the history \(session.store.path): \(HistoryStore.describe(error))")
            }
            var records: [TaskRecord] = []
            for (i, r) in expansion.requests.enumerated() {
                do {
                    let record = try await session.studio.submit(r)
                    records.append(record)
                    if !command.json {
                        ctx.console.err("submitted \(i + 1)/\(valid.count): \(record.taskID ?? "-") (\(Self.label(r))); local id #\(record.localID)")
                    }
                } catch {
                    // What was sent stays sent (and watched); the rest is not sent.
                    let sent = records.map { "#\($0.localID)" }.joined(separator: " ")
                    ctx.console.err("request \(i + 1) of \(valid.count) failed; \(records.count) sent before it\(sent.isEmpty ? "" : " (\(sent))"), \(valid.count - i - 1) not sent")
                    if let e = error as? StudioError { throw StudioSession.failure(e, store: session.store, ctx: ctx) }
                    throw CLIFailure(.ioError, String(describing: error))
                }
            }
            if command.wait {
                records = try await WatchLoop(session: session, ctx: ctx, json: false).run(records.map(\.localID))
                if command.json {
                    for r in records { ctx.console.out(RecordFormat.json(r).serialized()) }
                    WatchLoop.warnUnsaved(records, ctx: ctx)
                } else {
                    WatchLoop.summarize(records, ctx: ctx, urls: true)
                }
                return WatchLoop.status(records, downloads: !command.noDownload)
            }
            for r in records {
                ctx.console.out(command.json ? RecordFormat.json(r).serialized() : "\(r.taskID ?? "-") \(r.statusLabel)")
            }
            if !command.json { ctx.console.err("follow them with: darkroom watch") }
            return .ok
        }
    }

    /// "gpt-image-2 1536x1024 low: a red fox" for lists and messages.
    static func label(_ r: ImageRequest) -> String {
        let shape = [r.size, r.aspectRatio, r.quality].compactMap { $0 }.joined(separator: " ")
        let prompt = TerminalSanitizer.clean(String(r.prompt.split(separator: "\n").first ?? ""))
        return "\(r.model)\(shape.isEmpty ? "" : " " + shape): \(prompt)"
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
}
