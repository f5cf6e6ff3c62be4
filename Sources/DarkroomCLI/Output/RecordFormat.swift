import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// How task records look on the command line: JSON objects, table rows, detail pages.
enum RecordFormat {
    /// - Parameter children: the tasks made from this one's pictures (`show` and `history` give them; other commands leave them out).
    static func json(_ r: TaskRecord, children: [LineageChild]? = nil) -> JSONValue {
        var m: [(String, JSONValue)] = []
        m.append(("local_id", .int(Int(r.localID))))
        m.append(("task_id", text(r.taskID)))
        m.append(("status", .string(r.state.rawValue)))
        m.append(("submit_failure", text(r.submitFailure?.rawValue)))
        m.append(("raw_status", text(r.rawStatus)))
        m.append(("progress", number(r.progress)))
        m.append(("model", .string(r.request.model)))
        m.append(("prompt", .string(r.request.prompt)))
        // The style the prompt was sent under, with the prompt as typed; null without one.
        m.append(("style", StyleChoice.json(r.request.style)))
        m.append(("size", text(r.request.size)))
        m.append(("aspect_ratio", text(r.request.aspectRatio)))
        // What was sent, defaults included; `defaulted` names the fields the user left to the default.
        m.append(("quality", text(r.sentQuality ?? r.request.quality)))
        m.append(("n", .int(r.request.n)))
        m.append(("output_format", text(r.sentFormat ?? r.request.outputFormat)))
        var defaulted: [JSONValue] = []
        if r.request.quality == nil, r.sentQuality != nil { defaulted.append("quality") }
        if r.request.outputFormat == nil, r.sentFormat != nil { defaulted.append("output_format") }
        m.append(("defaulted", .array(defaulted)))
        m.append(("references", .array(r.request.references.map { .string($0) })))
        m.append(("parents", .array(r.request.origins.map { o in
            .object([("local_id", .int(Int(o.localID))), ("task_id", text(o.taskID)), ("picture", .int(o.index)),
                     ("sha256", o.sha256.isEmpty ? .null : .string(o.sha256))])
        })))
        if let children {
            m.append(("children", .array(children.map { .object([("local_id", .int(Int($0.localID))), ("picture", .int($0.picture))]) })))
        }
        m.append(("run", r.runID.map { .int(Int($0)) } ?? .null))
        m.append(("starred", .bool(r.starredAt != nil)))
        m.append(("starred_pictures", .array(r.starredPictures.sorted().map { .int($0) })))
        m.append(("tags", .array(r.tags.map { .string($0.name) })))
        m.append(("hidden", .bool(r.isHidden)))
        m.append(("profile", .string(r.profile)))
        m.append(("base_url", .string(r.baseURL)))
        m.append(("error", text(r.error)))
        m.append(("result_urls", .array(r.resultURLs.map { .string($0) })))
        m.append(("results", .array(r.results.map(resultJSON))))
        m.append(("created_at", time(r.createdAt)))
        m.append(("submitted_at", time(r.submittedAt)))
        m.append(("started_at", time(r.startedAt)))
        m.append(("finished_at", time(r.finishedAt)))
        m.append(("events", .array(r.events.map(eventJSON))))
        return .object(m)
    }

    static func resultJSON(_ res: ResultRecord) -> JSONValue {
        var m: [(String, JSONValue)] = []
        m.append(("index", .int(res.index)))
        m.append(("url", .string(res.url)))
        m.append(("state", .string(res.state.rawValue)))
        m.append(("path", text(res.file?.path)))
        m.append(("bytes", number(res.file?.bytes)))
        m.append(("format", text(res.file?.format.rawValue)))
        m.append(("width", number(res.file?.width)))
        m.append(("height", number(res.file?.height)))
        m.append(("sha256", text(res.file?.sha256)))
        m.append(("error", text(res.error)))
        return .object(m)
    }

    static func eventJSON(_ e: TaskEvent) -> JSONValue {
        .object([("status", .string(e.state.rawValue)), ("progress", number(e.progress)), ("at", .string(iso(e.at)))])
    }

    static func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func number(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }
    static func time(_ d: Date?) -> JSONValue { d.map { .string(iso($0)) } ?? .null }

    static func iso(_ d: Date) -> String { TimeText.iso8601(d) }

    static func age(_ seconds: TimeInterval) -> String { TimeText.age(seconds) }

    /// "1m 05s" for durations in a timeline.
    static func duration(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s < 60 ? "\(s)s" : "\(s / 60)m \(String(format: "%02d", s % 60))s"
    }

    static func progressText(_ r: TaskRecord) -> String {
        guard let p = r.progress, r.state == .processing || r.state == .queued || r.state == .unknown || r.state == .succeeded else { return "" }
        let filled = min(10, max(0, p / 10))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 10 - filled) + "] \(p)%"
    }

    static func firstLine(_ prompt: String) -> String {
        TerminalSanitizer.clean(String(prompt.split(separator: "\n", omittingEmptySubsequences: true).first ?? ""))
    }

    /// One line for live progress: `#12 task_x  processing  [#####.....] 50%  NanoBanana  a lighthouse…`.
    static func progressLine(_ r: TaskRecord, width: Int = 100) -> String {
        let head = "#\(r.localID) \(r.shownTaskID ?? "-")  \(r.statusLabel)  \(progressText(r))  \(r.request.model)  "
        var line = head + firstLine(r.request.prompt)
        if r.state == .failed || r.state == .submitFailed || r.state == .lost, let e = r.error { line = head + e }
        return DisplayWidth.truncate(line, to: width)
    }

    static let tableHeader = ["ID", "TASK ID", "STATUS", "MODEL", "SHAPE", "AGE", "PROMPT", "RESULT"]

    /// A history table, columns padded by display width.
    static func table(_ records: [TaskRecord], now: Date, width: Int = 160) -> String {
        var rows = [tableHeader]
        for r in records {
            let result = r.results.first(where: { $0.state == .saved })?.file?.path ?? (r.resultURLs.isEmpty ? "" : "(not saved)")
            rows.append(["#\(r.localID)" + (r.isStarred ? " ★" : ""), r.shownTaskID ?? "-", r.statusLabel, r.request.model.isEmpty ? "?" : r.request.model,
                         r.shapeLabel, age(now.timeIntervalSince(r.createdAt)),
                         DisplayWidth.truncate(firstLine(r.request.prompt) + r.tags.map { " #\($0)" }.joined(), to: 40), result])
        }
        let widths = (0..<tableHeader.count).map { c in rows.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in c == row.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[c]) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// Everything about one task, for `darkroom show`.
    static func detail(_ r: TaskRecord, children: [LineageChild] = []) -> String {
        var l: [String] = []
        l.append("Task #\(r.localID)  \(r.shownTaskID ?? "(no task id)")")
        l.append("Status      \(r.statusLabel)" + (r.rawStatus.map { $0 != r.state.rawValue ? " (server said \($0))" : "" } ?? "")
                 + (r.progress.map { "  \($0)%" } ?? ""))
        if let e = r.error { l.append("Error       \(TerminalSanitizer.clean(e))") }
        if let run = r.runID { l.append("Run         #\(run) (darkroom history --run \(run))") }
        l.append("Model       \(r.request.model)")
        var params: [String] = []
        if let s = r.request.size { params.append("size \(s)") }
        if let a = r.request.aspectRatio { params.append("aspect ratio \(a)") }
        if let q = r.request.quality { params.append("quality \(q)") }
        params.append("n \(r.request.n)")
        params.append("format \(r.request.outputFormat ?? "png")")
        if let t = r.request.taskType { params.append(t) }
        l.append("Parameters  \(params.joined(separator: ", "))")
        for ref in r.request.references { l.append("Reference   \(ref)") }
        for o in r.request.origins {
            l.append("From        \(o.label)" + (o.sha256.isEmpty ? " (its link; the bytes were not known here)" : "  sha256 \(o.sha256)"))
        }
        if !children.isEmpty {
            l.append("Children    " + children.map { "#\($0.localID) (from picture \($0.picture + 1))" }.joined(separator: ", ")
                     + "  (darkroom history --lineage \(r.localID))")
        }
        var marks: [String] = []
        if r.starredAt != nil { marks.append("the task") }
        marks += r.starredPictures.sorted().map { "picture \($0 + 1)" }
        if !marks.isEmpty { l.append("Starred     " + marks.joined(separator: ", ")) }
        if !r.tags.isEmpty { l.append("Tags        " + r.tags.map { "#\($0)" }.joined(separator: " ")) }
        if let h = r.hiddenAt { l.append("Hidden      since \(iso(h)) (darkroom hide \(r.localID) --off shows it)") }
        l.append("Endpoint    \(r.baseURL) (profile \(r.profile))")
        if let style = r.request.style {
            l.append("Style       \(TerminalSanitizer.clean(style.name))")
            l.append("Prompt      as typed")
            for line in TerminalSanitizer.clean(style.prompt, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false) {
                l.append("  " + line)
            }
            l.append("Sent        with style \(TerminalSanitizer.clean(style.name))")
        } else {
            l.append("Prompt")
        }
        for line in TerminalSanitizer.clean(r.request.prompt, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false) {
            l.append("  " + line)
        }
        l.append("Timeline")
        l += Timeline.rows(r.events, time: iso, duration: duration).map { "  " + $0 }
        if let s = r.submittedAt, let f = r.finishedAt { l.append("  total \(duration(f.timeIntervalSince(s))) from submit to end") }
        if !r.results.isEmpty {
            l.append("Results")
            for res in r.results {
                var line = "  [\(res.index)] \(res.state.rawValue)"
                if let p = res.file?.path { line += "  \(p)" }
                if let w = res.file?.width, let h = res.file?.height { line += "  \(w)x\(h)" }
                if let b = res.file?.bytes { line += "  \(b) bytes" }
                l.append(line)
                l.append("      \(TerminalSanitizer.clean(res.url))")
                if let e = res.error { l.append("      \(TerminalSanitizer.clean(e))") }
            }
        } else if !r.resultURLs.isEmpty {
            l.append("Results")
            for u in r.resultURLs { l.append("  \(TerminalSanitizer.clean(u))") }
        }
        return l.joined(separator: "\n")
    }

    /// The family tree of a task, one line per task: "#1  done  gpt-image-2  prompt", then
    /// its children indented ("└─ #7 from picture 1  done  ...").
    static func lineage(_ node: LineageNode, records: [Int64: TaskRecord]) -> String {
        var lines: [String] = []
        func describe(_ id: Int64) -> String {
            guard let r = records[id] else { return "#\(id)  (no longer in history)" }
            return "#\(id)  \(r.statusLabel)  \(r.request.model)  \(firstLine(r.request.prompt))"
        }
        func walk(_ n: LineageNode, prefix: String, last: Bool, root: Bool) {
            let from = n.picture.map { " from picture \($0 + 1)" } ?? ""
            lines.append(root ? describe(n.localID) : prefix + (last ? "└─ " : "├─ ") + describe(n.localID).replacingOccurrences(of: "#\(n.localID)  ", with: "#\(n.localID)\(from)  "))
            let childPrefix = root ? "" : prefix + (last ? "   " : "│  ")
            for (i, c) in n.children.enumerated() { walk(c, prefix: childPrefix, last: i == n.children.count - 1, root: false) }
        }
        walk(node, prefix: "", last: true, root: true)
        return lines.joined(separator: "\n")
    }
}
