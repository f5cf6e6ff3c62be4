import DarkroomCore

/// Keys in the composer: editing the prompt and the references, and choosing
/// model, tier, size, ratio, quality, count and format.
enum ComposerKeys {
    static func handle(_ s: inout AppState, _ k: Key) -> [Effect] {
        let width = promptWidth(s)
        switch s.composer.field {
        case .prompt:
            switch k {
            case .enter: s.composer.editor.insert("\n")
            case .up:
                if !s.composer.editor.vertical(-1, width: width), !PromptHistory.older(&s) { s.composer.editor.home() }
            case .down:
                if !s.composer.editor.vertical(1, width: width), !PromptHistory.newer(&s) { move(&s, by: 1) }
            default: TextKeys.edit(&s.composer.editor, k)
            }
        case .references:
            switch k {
            case .up: move(&s, by: -1)
            case .down: move(&s, by: 1)
            case .enter: move(&s, by: 1)
            default: TextKeys.edit(&s.composer.references, k)
            }
        default:
            switch k {
            case .up, .char("k"): move(&s, by: -1)
            case .down, .char("j"): move(&s, by: 1)
            case .left, .char("h"): s.composer.cycle(s.composer.field, by: -1)
            case .right, .char("l"): s.composer.cycle(s.composer.field, by: 1)
            case .enter, .char(" "): openPicker(&s, s.composer.field)
            default: break
            }
            if let n = s.composer.notice { s.message = n; s.messageIsError = false }
        }
        return []
    }

    static func move(_ s: inout AppState, by delta: Int) {
        let fields = s.composer.fields
        let i = fields.firstIndex(of: s.composer.field) ?? 0
        s.composer.field = fields[min(fields.count - 1, max(0, i + delta))]
    }

    static func openPicker(_ s: inout AppState, _ f: ComposerField) {
        let opts = s.composer.options(f)
        guard !opts.isEmpty else { return }
        let i = opts.firstIndex { $0.value == s.composer.currentValue(f) } ?? 0
        s.picker = Picker(field: f, options: opts, index: i)
    }

    /// The prompt editor's width in cells for the current layout.
    static func promptWidth(_ s: AppState) -> Int {
        let r = Layout.rect(s, .compose) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - 3)
        return max(4, r.width - 4)
    }
}

/// Keys in the detail pane, and the actions on the selected task that also
/// work from the task list.
enum DetailKeys {
    static func handle(_ s: inout AppState, _ k: Key) -> [Effect] {
        switch k {
        case .escape:
            s.focus = .tasks
            return []
        case .up, .char("k"): return TaskList.move(&s, by: -1)
        case .down, .char("j"): return TaskList.move(&s, by: 1)
        default: return actions(&s, k)
        }
    }

    static func actions(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard let r = s.selected else { return [] }
        func say(_ m: String, error: Bool = false) { s.message = m; s.messageIsError = error }
        switch k {
        case .char("r"):
            guard !r.request.model.isEmpty, !r.request.prompt.isEmpty else { say("#\(r.localID) has no request to re-run", error: true); return [] }
            s.submitting += 1
            say("Re-running #\(r.localID)…")
            return [.submit(r.request)]
        case .char("e"):
            s.composer.load(r.request)
            s.focus = .compose
            say(s.composer.notice ?? "Loaded #\(r.localID) into the composer")
            return []
        case .char("d"):
            guard !r.resultURLs.isEmpty else { say("#\(r.localID) has no results to download", error: true); return [] }
            say("Downloading the results of #\(r.localID)…")
            return [.download(localID: r.localID)]
        case .char("o"):
            guard let path = r.results.first(where: { $0.state == .saved })?.file?.path else { say("No saved file for #\(r.localID) yet", error: true); return [] }
            return [.open(path: path)]
        case .char("c"):
            guard let url = r.resultURLs.first else { say("#\(r.localID) has no result URL", error: true); return [] }
            say("Copied the result URL")
            return [.copy(url)]
        case .char("x"):
            guard case let .success(v) = RequestValidator.validate(r.request), let base = URL(string: r.baseURL) else {
                say("#\(r.localID) has no request to copy", error: true)
                return []
            }
            say("Copied the request as a curl command (key as $DARKROOM_API_KEY)")
            return [.copy(CurlCommand.submit(v, tasksURL: DarkroomClient.tasksURL(base: base).absoluteString))]
        case .char("m"):
            guard let mapped = FamilyMapping.toOtherFamily(r.request) else {
                say("#\(r.localID) has no request to map to the other family", error: true)
                return []
            }
            s.composer.load(mapped.request)
            s.focus = .compose
            say("Mapped: \(mapped.summary). Ctrl-S sends it")
            return []
        case .char("v"):
            guard let first = PreviewPlanner.saved(r).first else {
                say(r.state == .succeeded ? "No saved file for #\(r.localID) yet (d downloads)" : "#\(r.localID) has no image to preview", error: true)
                return []
            }
            s.fullPreview = FullPreview(localID: r.localID, index: first.index)
            return []
        case .char("w"):
            guard r.taskID != nil, r.state.isWatchable else {
                say("#\(r.localID) has nothing to watch: it is \(r.state.label)", error: true)
                return []
            }
            if r.unwatchedAt != nil {
                say("Watching #\(r.localID) again")
                return [.setWatching(localID: r.localID, true)]
            }
            say("Stopped watching #\(r.localID): it is not polled, even after a restart, until w watches it again")
            return [.setWatching(localID: r.localID, false)]
        default:
            return []
        }
    }
}

import Foundation
