import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// Follows tasks through a Studio until each is settled (finished, and its
/// results saved or given up on), reporting progress on stderr: a live block on
/// a terminal, a line per change otherwise, or one JSON line per change on
/// stdout with `json`.
struct WatchLoop {
    let session: StudioSession
    let ctx: CLIContext
    let json: Bool

    /// Returns the final records, in the order given.
    ///
    /// Each event touches only its own task: its line is formatted again, its
    /// settledness checked again; the others are not read.
    func run(_ localIDs: [Int64]) async throws(CLIFailure) -> [TaskRecord] {
        let studio = session.studio
        let store = session.store
        var latest: [Int64: TaskRecord] = [:]
        for id in localIDs { latest[id] = try? await store.record(localID: id) }
        let width = ctx.console.stderrIsTTY ? terminalWidth() : 160
        var lines: [Int64: String] = [:]
        var drawn = 0
        var unsettled = Set(localIDs)

        func line(_ r: TaskRecord) -> String { RecordFormat.progressLine(r, width: width) }
        func redraw() {
            guard !json, ctx.console.stderrIsTTY else { return }
            var block = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for id in localIDs { if let l = lines[id] { block += "\r\u{1B}[2K" + l + "\n" } }
            ctx.console.writeErr(block)
            drawn = localIDs.filter { lines[$0] != nil }.count
        }
        func changed(_ r: TaskRecord) {
            let l = line(r)
            guard lines[r.localID] != l else { return }
            lines[r.localID] = l
            if !json && !ctx.console.stderrIsTTY { ctx.console.err(l) }
        }

        /// One JSON line: the task, and whether polling it works (`ok`, `failing` with why).
        func jsonLine(_ r: TaskRecord, polling: String = "ok", error: String? = nil) {
            guard case var .object(m) = RecordFormat.json(r) else { return }
            m.append(("polling", .string(polling)))
            m.append(("polling_error", error.map { .string($0) } ?? .null))
            ctx.console.out(JSONValue.object(m).serialized())
        }
        for id in localIDs {
            guard let r = latest[id] else { continue }
            // A script sees where each task stands at once, then one line per change.
            if json { jsonLine(r) }
            changed(r)
        }
        redraw()
        for id in localIDs where (try? await studio.isSettled(localID: id)) == true { unsettled.remove(id) }
        if unsettled.isEmpty { return await finals(localIDs) }
        for await event in studio.events {
            switch event {
            case let .changed(r):
                guard let known = latest[r.localID] else { continue }
                // Events queued before this loop started may be older than what it read.
                if r.updatedAt < known.updatedAt || r.events.count < known.events.count { continue }
                latest[r.localID] = r
                if json { jsonLine(r) }
                changed(r)
                redraw()
                if await studio.isSettled(r) { unsettled.remove(r.localID) }
            case let .authFailed(message):
                if json { for id in localIDs { if let r = latest[id], unsettled.contains(id) { jsonLine(r, polling: "refused", error: message) } } }
                await studio.shutdown()
                throw CLIFailure(.unavailable, "\(message). Polling stopped; the tasks are kept and `darkroom watch` resumes them")
            case let .stale(id, message, _):
                // A script waiting on a server that is down sees why, on the task's own line.
                if json, let r = latest.values.first(where: { $0.taskID == id }) {
                    jsonLine(r, polling: "failing", error: message)
                } else if !json {
                    ctx.console.warning("\(TerminalSanitizer.clean(id)): queries keep failing (\(message)); still trying")
                }
            case let .note(id, message):
                ctx.console.warning("\(TerminalSanitizer.clean(id)): \(message)")
            case let .recovered(id):
                if json, let r = latest.values.first(where: { $0.taskID == id }) { jsonLine(r) }
            case let .historyFailed(message):
                // What the server says now cannot be kept: waiting on would be waiting for ever.
                // The downloads running end first (each removes its part file), then the Studio stops.
                await studio.downloadsSettled()
                await studio.shutdown()
                throw CLIFailure(.ioError, "the history \(session.store.path) could not be written (\(message)); the tasks are kept on the server. "
                                 + "Free some space, then `darkroom watch` takes up where this stopped (`darkroom download ID` fetches what was not saved)")
            case .resumed:
                break
            }
            if unsettled.isEmpty { break }
        }
        return await finals(localIDs)
    }

    private func finals(_ ids: [Int64]) async -> [TaskRecord] {
        var out: [TaskRecord] = []
        for id in ids { if let r = try? await session.store.record(localID: id) { out.append(r) } }
        return out
    }

    private func terminalWidth() -> Int {
        var w = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 20 { return Int(w.ws_col) - 1 }
        return 100
    }

    /// The exit status for a set of finished records: 1 if any did not succeed, else 2
    /// if any result is not saved (only when downloads were on), else 0.
    static func status(_ records: [TaskRecord], downloads: Bool = true) -> ExitStatus {
        guard records.allSatisfy({ $0.state == .succeeded }) else { return .taskFailed }
        let unsaved = records.contains { r in r.results.contains { $0.state != .saved } || r.results.count < r.resultURLs.count }
        return downloads && unsaved ? .resultsNotSaved : .ok
    }

    /// Warns on stderr of every result not saved, also when stdout holds JSON.
    static func warnUnsaved(_ records: [TaskRecord], ctx: CLIContext) {
        for r in records where r.state == .succeeded {
            for res in r.results where res.state == .failed || res.state == .expired || res.state == .refused {
                ctx.console.warning("result \(res.index) not saved: \(res.error ?? res.state.rawValue)")
            }
        }
    }

    /// Prints what became of each task: result URLs on stdout (with `urls`) or
    /// one summary line each, and where the files were saved.
    static func summarize(_ records: [TaskRecord], ctx: CLIContext, urls: Bool) {
        for r in records {
            switch r.state {
            case .succeeded:
                ctx.console.err("\(r.shownTaskID ?? "#\(r.localID)") succeeded with \(r.resultURLs.count) result\(r.resultURLs.count == 1 ? "" : "s")")
                for res in r.results {
                    if res.state == .saved, let p = res.file?.path { ctx.console.err("  saved \(p)") }
                    if res.state == .failed || res.state == .expired || res.state == .refused {
                        ctx.console.warning("result \(res.index) not saved: \(res.error ?? res.state.rawValue)")
                    }
                }
                if urls { for u in r.resultURLs { ctx.console.out(TerminalSanitizer.link(u)) } } else {
                    for res in r.results { ctx.console.out("\(r.shownTaskID ?? "-")\t\(res.file?.path ?? TerminalSanitizer.link(res.url))") }
                }
            case .failed, .lost, .expired, .submitFailed:
                ctx.console.err("\(r.shownTaskID ?? "#\(r.localID)") \(r.statusLabel): \(r.error ?? "no reason given")")
            default:
                ctx.console.err("\(r.shownTaskID ?? "#\(r.localID)") \(r.statusLabel)")
            }
        }
    }
}
