import DarkroomCore
import DarkroomHistory
import DarkroomTUI
import Foundation

/// Frame cost of the TUI core (update + render into a Screen), start-up to the
/// first frame with a large history, and resident memory. The ncurses copy is
/// not included: ncurses itself sends only the cells that changed.
enum TUIBenchmark {
    static func run(historyPath: String) async throws {
        // 1,000 tasks in the list, 200x60, one task's progress changing per frame.
        let store = try HistoryStore(path: historyPath)
        let thousand = try await store.searchWithDetails(HistoryQuery(limit: 1000))
        var state = AppState(width: 200, height: 60, endpoint: "bench")
        _ = update(&state, .tasksLoaded(thousand, replace: true))
        _ = update(&state, .key(.f(3)))
        var frames: [Double] = []
        var changed = thousand[3]
        changed.state = .processing
        for i in 0..<200 {
            changed.progress = i % 100
            let t = ms {
                _ = update(&state, .taskChanged(changed))
                _ = AppView.render(state, now: Date())
            }
            frames.append(t)
        }
        report("TUI frame: update + render, 200x60, 1,000 tasks (median of 200)", median(frames), unit: "ms", target: "< 2 ms")

        // Start to first frame: open the history, load the first page, draw.
        var starts: [Double] = []
        for _ in 0..<5 {
            starts.append(try await ms {
                let s = try HistoryStore(path: historyPath)
                let page = try await s.searchWithDetails(HistoryQuery(limit: 200))
                var st = AppState(width: 200, height: 60, endpoint: "bench")
                _ = update(&st, .tasksLoaded(page, replace: true))
                _ = AppView.render(st, now: Date())
            })
        }
        report("start to first frame, 100,000 tasks in history (median of 5)", median(starts), unit: "ms", target: "< 150 ms")
        report("resident memory after that (this process)", residentMiB(), unit: "MiB", target: "< 60 MiB")
    }

    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
