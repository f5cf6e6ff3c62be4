import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTUI
import DarkroomTerminal
import Foundation

/// Frame cost of the TUI core (update + render into a Screen), start-up to the
/// first frame with a large history, and resident memory. The ncurses copy is
/// not included: ncurses itself sends only the cells that changed.
enum TUIBenchmark {
    static func run(historyPath: String) async throws {
        // 1,000 tasks in the list, 200x60, one task's progress changing per frame.
        let store = try HistoryStore(path: historyPath)
        let thousand = try await store.searchWithDetails(HistoryQuery(limit: 1000))
        var state = AppState(width: 200, height: 60, connectionLabel: "bench")
        _ = update(&state, .tasksLoaded(thousand, replace: true))
        _ = update(&state, .key(.f(3)))
        var changed = thousand[3]
        changed.state = .processing
        let frames = frameTimes(&state, changing: changed)
        report("TUI frame: update + render, 200x60, 1,000 tasks (median of 200)", median(frames), unit: "ms", target: "< 2 ms")

        // The same frame as the real terminal runs it: widths from the C library's
        // wcwidth, and a prompt of CJK and emoji in the composer.
        setlocale(LC_CTYPE, "C.UTF-8")
        let wide = String(repeating: "一只猫在屋顶上 ❤️ 🇯🇵 👩‍🚀 a lighthouse at dusk ", count: 40)
        _ = update(&state, .key(.f(2)))
        _ = update(&state, .paste(wide))
        let termFrames = DisplayWidth.$rule.withValue(TerminalCells.widthRule) { frameTimes(&state, changing: changed) }
        report("the same with wcwidth and 1,400 CJK/emoji characters in the prompt", median(termFrames), unit: "ms", target: "< 2 ms")

        // The key decoder: keys as a fast typist and a terminal send them, and a huge paste.
        var keys: [UInt8] = []
        for i in 0..<20_000 {
            keys += Array(["a", "é", "\u{1B}[A", "\u{1B}[1;5D", "\u{1B}[<0;10;5M"][i % 5].utf8)
        }
        var decoder = KeyDecoder()
        var decoded = 0
        let keyTime = ms { decoded = decoder.feed(keys, now: .zero).count }
        report("key decoder: 20,000 keys and mouse reports (\(decoded) events)", keyTime * 1000 / Double(max(1, decoded)), unit: "µs/event",
               target: "< 10 µs")
        let paste = Array("\u{1B}[200~".utf8) + Array(String(repeating: "a lighthouse at dusk, 一只猫\n", count: 30_000).utf8) + Array("\u{1B}[201~".utf8)
        let pasteTime = ms { _ = decoder.feed(paste, now: .zero) }
        report("key decoder: a \(paste.count / 1024) KiB paste, whole", pasteTime, unit: "ms", target: "< 100 ms")

        // Start to first frame: open the history, load the first page, draw.
        var starts: [Double] = []
        for _ in 0..<5 {
            starts.append(try await ms {
                let s = try HistoryStore(path: historyPath)
                let page = try await s.searchWithDetails(HistoryQuery(limit: 200))
                var st = AppState(width: 200, height: 60, connectionLabel: "bench")
                _ = update(&st, .tasksLoaded(page, replace: true))
                _ = AppView.render(st, now: Date())
            })
        }
        report("start to first frame, 100,000 tasks in history (median of 5)", median(starts), unit: "ms", target: "< 150 ms")
        report("resident memory after that (this process)", residentMiB(), unit: "MiB", target: "< 60 MiB")
    }

    /// 200 frames (update + render), one task's progress changing in each: their times in ms.
    static func frameTimes(_ state: inout AppState, changing task: TaskRecord) -> [Double] {
        var changed = task
        var out: [Double] = []
        for i in 0..<200 {
            changed.progress = i % 100
            out.append(ms {
                _ = update(&state, .taskChanged(changed))
                _ = AppView.render(state, now: Date())
            })
        }
        return out
    }

    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
