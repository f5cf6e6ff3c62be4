import DarkroomCore

/// A saved picture as the next request's reference: `i` opens the composer for
/// image2image with it (the task's prompt ready to edit, its model kept: every
/// model takes references), `+` adds it to the references being composed (two
/// results combined). The saved file is what is sent (uploaded as multipart);
/// its recorded SHA-256 goes with the request as its origin (the lineage).
enum Remix {
    /// The picture the keys address: the full-screen one, the gallery's, the
    /// comparison grid's cell's first, else the selected task's first saved picture.
    static func picture(_ s: AppState) -> (task: TaskRecord, result: ResultRecord)? {
        if let f = s.overlay?.fullPreview, let t = s.tasks.first(where: { $0.localID == f.localID }),
           let r = PreviewPlanner.saved(t).first(where: { $0.index == f.index }) {
            return (t, r)
        }
        if s.gallery != nil, let item = GalleryKeys.selectedItem(s) { return item.result.file == nil ? nil : (item.task, item.result) }
        guard let t = Curating.task(s), let r = PreviewPlanner.saved(t).first else { return nil }
        return (t, r)
    }

    /// i: the composer for image2image with this picture as its only reference.
    static func start(_ s: inout AppState) -> [Effect] {
        guard let (t, r) = picture(s), let file = r.file else { return noPicture(&s) }
        var request = t.request
        request.references = [file.path]
        let kept = PromptHistory.keepTyped(&s, replacedBy: request.prompt)
        s.composer.load(request)
        s.composer.remixSources = [file.path: origin(t, r)]
        s.overlay = nil
        s.gallery = nil
        s.comparison = nil
        s.focus = .compose
        s.composer.field = .prompt
        s.say("Remix of #\(t.localID) (picture \(r.index + 1)): its saved file is the reference; edit the prompt, then Ctrl-S"
              + (kept ? " (what you were writing is in the prompt history: ↑)" : ""), task: t.localID)
        return []
    }

    /// +: this picture added to the references of the request being composed.
    static func add(_ s: inout AppState) -> [Effect] {
        guard let (t, r) = picture(s), let file = r.file else { return noPicture(&s) }
        let words = ReferenceText.words(s.composer.references.text, home: s.composer.home).words.map(\.text)
        guard !words.contains(file.path) else {
            s.say("#\(t.localID) (picture \(r.index + 1)) is already a reference", task: t.localID)
            return []
        }
        guard !words.contains(where: { $0.lowercased().hasPrefix("http") }) else {
            s.say("The references are links: a saved picture is uploaded, and the API takes links or files, not both; remove the links first",
                  error: true, task: t.localID)
            return []
        }
        let text = s.composer.references.text.trimmingCharacters(in: .whitespaces)
        s.composer.references.setText((text.isEmpty ? "" : text + " ") + ReferenceText.quote(file.path))
        s.composer.remixSources[file.path] = origin(t, r)
        s.say("Added #\(t.localID) (picture \(r.index + 1)) to the references (\(words.count + 1) now)", task: t.localID)
        return []
    }

    /// The shell re-encoded a remixed picture over the upload limit: the smaller
    /// copy takes its place among the references, and its hash is what is sent.
    static func shrunk(_ s: inout AppState, old: String, new: String, how: String, sha256: String) {
        guard var origin = s.composer.remixSources[old] else { return }
        let text = s.composer.references.text
        let replaced = text.replacingOccurrences(of: ReferenceText.quote(old), with: ReferenceText.quote(new))
        s.composer.references.setText(replaced != text ? replaced : text.replacingOccurrences(of: old, with: ReferenceText.quote(new)))
        s.composer.remixSources[old] = nil
        origin.sha256 = sha256
        origin.path = new
        s.composer.remixSources[new] = origin
        s.say("\(origin.label) is over the 20 MiB upload limit: \(how); that is what is sent", task: origin.localID)
    }

    static func origin(_ t: TaskRecord, _ r: ResultRecord) -> PictureOrigin {
        PictureOrigin(localID: t.localID, taskID: t.taskID, index: r.index, sha256: r.file?.sha256 ?? "", path: r.file?.path)
    }

    private static func noPicture(_ s: inout AppState) -> [Effect] {
        s.say("No saved picture here to remix (i and + take a saved picture: d saves it again)", error: true, task: s.selected?.localID)
        return []
    }
}
