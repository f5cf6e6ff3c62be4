import DarkroomCore
import DarkroomHistory
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
    func run(_ localIDs: [Int64]) async throws(CLIFailure) -> [TaskRecord] {
        let studio = session.studio
        var latest: [Int64: TaskRecord] = [:]
        for id in localIDs { latest[id] = try? session.store.record(localID: id) }
        var drawn = 0
        var lastLine: [Int64: String] = [:]

        func report() {
            let records = localIDs.compactMap { latest[$0] }
            if json { return }
            if ctx.console.stderrIsTTY {
                var block = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
                for r in records { block += "\r\u{1B}[2K" + RecordFormat.progressLine(r, width: terminalWidth()) + "\n" }
                ctx.console.writeErr(block)
                drawn = records.count
            } else {
                for r in records {
                    let line = RecordFormat.progressLine(r, width: 160)
                    if lastLine[r.localID] != line { ctx.console.err(line) }
                    lastLine[r.localID] = line
                }
            }
        }

        func allSettled() async -> Bool {
            for id in localIDs where (try? await studio.isSettled(localID: id)) == false { return false }
            return true
        }

        report()
        if await allSettled() { return localIDs.compactMap { try? session.store.record(localID: $0) } }
        for await event in studio.events {
            switch event {
            case let .changed(r):
                guard let known = latest[r.localID] else { continue }
                // Events queued before this loop started may be older than what it read.
                if r.updatedAt < known.updatedAt || r.events.count < known.events.count { continue }
                latest[r.localID] = r
                if json { ctx.console.out(RecordFormat.json(r).serialized()) }
                report()
            case let .authFailed(message):
                await studio.shutdown()
                throw CLIFailure(.unavailable, "\(message). Polling stopped; the tasks are kept and `darkroom watch` resumes them")
            case let .stale(id, message):
                if !json { ctx.console.warning("\(id): queries keep failing (\(message)); still trying") }
            case .recovered, .resumed:
                break
            }
            if await allSettled() { break }
        }
        return localIDs.compactMap { try? session.store.record(localID: $0) }
    }

    private func terminalWidth() -> Int {
        var w = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 20 { return Int(w.ws_col) - 1 }
        return 100
    }

    /// The exit status for a set of finished records: 0 if all succeeded, 1 otherwise.
    static func status(_ records: [TaskRecord]) -> ExitStatus {
        records.allSatisfy { $0.state == .succeeded } ? .ok : .taskFailed
    }

    /// Prints what became of each task: result URLs on stdout (with `urls`) or
    /// one summary line each, and where the files were saved.
    static func summarize(_ records: [TaskRecord], ctx: CLIContext, urls: Bool) {
        for r in records {
            switch r.state {
            case .succeeded:
                ctx.console.err("\(r.taskID ?? "#\(r.localID)") succeeded with \(r.resultURLs.count) result\(r.resultURLs.count == 1 ? "" : "s")")
                for res in r.results {
                    if res.state == .saved, let p = res.file?.path { ctx.console.err("  saved \(p)") }
                    if res.state == .failed || res.state == .expired { ctx.console.warning("result \(res.index) not saved: \(res.error ?? res.state.rawValue)") }
                }
                if urls { for u in r.resultURLs { ctx.console.out(u) } } else {
                    for res in r.results { ctx.console.out("\(r.taskID ?? "-")\t\(res.file?.path ?? res.url)") }
                }
            case .failed, .lost, .expired, .submitFailed:
                ctx.console.err("\(r.taskID ?? "#\(r.localID)") \(r.state.label): \(r.error ?? "no reason given")")
            default:
                ctx.console.err("\(r.taskID ?? "#\(r.localID)") \(r.state.label)")
            }
        }
    }
}
