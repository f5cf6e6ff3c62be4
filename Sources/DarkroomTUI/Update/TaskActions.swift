import DarkroomCore
import Foundation

/// What the keys on the selected task do, from the list or the detail.
enum TaskActions {
    /// The selected task, or nil (and nothing happens: the list is empty).
    private static func selected(_ s: AppState) -> TaskRecord? { s.selected }

    static func rerun(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard !r.request.model.isEmpty, !r.request.prompt.isEmpty else {
            s.say("#\(r.localID) has no request to re-run", error: true, task: r.localID)
            return []
        }
        // The same guard as Ctrl-S: the same request again within seconds is asked about.
        let effects = Submit.next(&s, r.request, after: nil)
        if effects.contains(.submit(r.request)) { s.say("Re-running #\(r.localID)…", task: r.localID) }
        return effects
    }

    static func edit(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        let kept = PromptHistory.keepTyped(&s, replacedBy: r.request.prompt)
        s.composer.load(r.request)
        s.focus = .compose
        s.say(s.composer.notice ?? "Loaded #\(r.localID) into the composer" + (kept ? " (what you were writing is in the prompt history: ↑)" : ""), task: r.localID)
        return []
    }

    static func download(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard !r.resultURLs.isEmpty else { s.say("#\(r.localID) has no results to download", error: true, task: r.localID); return [] }
        s.say("Downloading the results of #\(r.localID)…", task: r.localID)
        return [.download(localID: r.localID)]
    }

    static func open(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard let path = r.results.first(where: { $0.state == .saved })?.file?.path else {
            s.say("No saved file for #\(r.localID) yet", error: true, task: r.localID)
            return []
        }
        return [.open(path: path)]
    }

    static func copyURL(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard let url = r.resultURLs.first else { s.say("#\(r.localID) has no result URL", error: true, task: r.localID); return [] }
        s.say("Copied the result URL", task: r.localID)
        return [.copy(url)]
    }

    static func copyCurl(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        // The command opens the files when it runs: they are not opened here.
        guard case let .success(v) = RequestValidator.validate(r.request, inspect: { .success(.unopened($0)) }),
              let base = URL(string: r.baseURL) else {
            s.say("#\(r.localID) has no request to copy", error: true, task: r.localID)
            return []
        }
        s.say("Copied the request as a curl command (key as $DARKROOM_API_KEY)", task: r.localID)
        return [.copy(CurlCommand.submit(v, tasksURL: DarkroomClient.tasksURL(base: base).absoluteString))]
    }

    static func mapToOtherFamily(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard let mapped = FamilyMapping.toOtherFamily(r.request) else {
            s.say("#\(r.localID) has no request to map to the other family", error: true, task: r.localID)
            return []
        }
        s.composer.load(mapped.request)
        s.focus = .compose
        s.say("Mapped: \(mapped.summary). Ctrl-S sends it", task: r.localID)
        return []
    }

    static func view(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard let first = PreviewPlanner.saved(r).first else {
            s.say(r.state == .succeeded ? "No saved file for #\(r.localID) yet (d downloads)" : "#\(r.localID) has no image to preview",
                  error: true, task: r.localID)
            return []
        }
        s.overlay = .fullPreview(FullPreview(localID: r.localID, index: first.index))
        return []
    }

    static func toggleWatch(_ s: inout AppState) -> [Effect] {
        guard let r = selected(s) else { return [] }
        guard r.taskID != nil, r.state.isWatchable else {
            s.say("#\(r.localID) has nothing to watch: " + (r.state.isFinal ? "it has ended (\(TaskListView.word(r)))" : "it is \(r.statusLabel), not on the server yet"),
                  error: true, task: r.localID)
            return []
        }
        if r.unwatchedAt != nil {
            s.say("Watching #\(r.localID) again", task: r.localID)
            return [.setWatching(localID: r.localID, true)]
        }
        s.say("Stopped watching #\(r.localID): it is not polled, even after a restart, until w watches it again", task: r.localID)
        return [.setWatching(localID: r.localID, false)]
    }
}
