import DarkroomCore
import Foundation

/// Writes a self-contained gallery of saved pictures: the pictures copied into
/// `pictures/`, each with its JSON sidecar, and one `index.html` that opens
/// from disk with no server, no script and nothing from the network (a
/// Content-Security-Policy forbids anything else).
///
/// A folder is written only if it is new, empty, or an earlier darkroom export
/// (its `index.html` says so): a user's other files are never overwritten.
/// Files of an earlier export that the new one does not list are kept.
public enum GalleryExport {
    /// One exported picture.
    public struct Item: Sendable, Equatable {
        public let task: TaskRecord
        public let result: ResultRecord
        /// The copy's name inside `pictures/`.
        public let name: String
    }

    public struct Report: Sendable, Equatable {
        public var pictures: Int
        public var tasks: Int
        public var index: URL
        /// Pictures the history lists as saved but whose file is gone ("#42 [0] /path").
        public var missing: [String]
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The folder has other files (not an earlier export).
        case notEmpty(String)
        case cannotCreate(String, String)
        case cannotWrite(String, String)
        public var description: String {
            switch self {
            case let .notEmpty(p): "\(p) is not empty and is not an earlier darkroom export; choose a new or empty folder"
            case let .cannotCreate(p, why): "cannot create \(p): \(why)"
            case let .cannotWrite(p, why): "cannot write \(p): \(why)"
            }
        }
    }

    /// The marker an export's `index.html` carries.
    static let generator = "<meta name=\"generator\" content=\"darkroom export\">"

    /// The copy's name, for exports and `download --to`: `<local id>-<task id>-<index>.<ext>`,
    /// with anything but ASCII letters, digits, `_` and `-` in the task id replaced by `_`,
    /// and the saved file's own extension. Local ids are unique in a history (they keep
    /// two endpoints' same task id apart), so names never collide, and a person can
    /// still tell which task a file belongs to.
    public static func fileName(_ t: TaskRecord, _ r: ResultRecord) -> String {
        let ext = r.file.map { ($0.path as NSString).pathExtension } ?? "png"
        return "\(t.localID)-\(t.taskID.map(safe) ?? "task")-\(r.index).\(ext)"
    }

    static func safe(_ id: String) -> String {
        String(id.unicodeScalars.prefix(64).map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") ? Character($0) : "_" })
    }

    /// The saved pictures of `tasks`, in their order.
    public static func items(_ tasks: [TaskRecord]) -> [Item] {
        tasks.flatMap { t in t.results.filter { $0.state == .saved && $0.file != nil }.map { Item(task: t, result: $0, name: fileName(t, $0)) } }
    }

    /// Copies the pictures and writes the index. `timeZone` sets the dates shown.
    public static func write(_ tasks: [TaskRecord], to dir: URL, timeZone: TimeZone, now: Date) throws(Failure) -> Report {
        let fm = FileManager.default
        try checkFolder(dir)
        let pictures = dir.appendingPathComponent("pictures")
        // Never through a link the export did not make: an earlier export's `pictures`
        // replaced by a symbolic link would send the copies (and their overwrites) elsewhere.
        var st = stat()
        if lstat(pictures.path, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
            throw .cannotCreate(pictures.path, (st.st_mode & S_IFMT) == S_IFLNK
                                ? "it is a symbolic link, not the folder an export makes; nothing was written (remove it or export elsewhere)"
                                : "a file of that name is in the way; nothing was written")
        }
        if mkdir(pictures.path, 0o755) != 0 && errno != EEXIST {
            throw .cannotCreate(pictures.path, String(cString: strerror(errno)))
        }
        var written: [Item] = []
        var missing: [String] = []
        for item in items(tasks) {
            guard let file = item.result.file, fm.fileExists(atPath: file.path) else {
                missing.append("#\(item.task.localID) [\(item.result.index)] \(item.result.file?.path ?? "")")
                continue
            }
            let target = pictures.appendingPathComponent(item.name)
            do {
                // `removeItem` unlinks a link itself, never what it points to.
                if (try? fm.attributesOfItem(atPath: target.path)) != nil || fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                // The copy carries its request inside (the original stays as the server sent it).
                try StoryCopy.copy(file.path, to: target, record: item.task, index: item.result.index)
                let sidecar = URL(fileURLWithPath: file.path).deletingPathExtension().appendingPathExtension("json")
                var json = fm.contents(atPath: sidecar.path).flatMap { try? JSONParser.parse(Array($0)) } ?? provenance(item)
                // The copy's own size and hash (it carries its story); the original's hash kept beside them.
                if case var .object(members) = json, let copy = fm.contents(atPath: target.path) {
                    members.removeAll { ["bytes", "sha256", "original_sha256"].contains($0.0) }
                    members += [("bytes", .int(copy.count)), ("sha256", .string(SHA256.hex(Array(copy)))), ("original_sha256", .string(file.sha256))]
                    json = .object(members)
                }
                try AtomicFile.write(Array(json.serialized(pretty: true).utf8), to: target.deletingPathExtension().appendingPathExtension("json"))
            } catch {
                throw .cannotWrite(target.path, FileErrorText.describe(error))
            }
            written.append(item)
        }
        let index = dir.appendingPathComponent("index.html")
        do { try AtomicFile.write(Array(html(written, timeZone: timeZone, now: now).utf8), to: index) } catch {
            throw .cannotWrite(index.path, "\(error)")
        }
        return Report(pictures: written.count, tasks: Set(written.map(\.task.localID)).count, index: index, missing: missing)
    }

    static func checkFolder(_ dir: URL) throws(Failure) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw .cannotCreate(dir.path, "a file of that name exists") }
            let entries = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
            if entries.isEmpty { return }
            let index = fm.contents(atPath: dir.appendingPathComponent("index.html").path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard index.contains(generator) else { throw .notEmpty(dir.path) }
        } else {
            do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw .cannotCreate(dir.path, FileErrorText.describe(error))
            }
        }
    }

    /// A sidecar for a picture saved by a version that wrote none.
    static func provenance(_ item: Item) -> JSONValue {
        let t = item.task
        var m: [(String, JSONValue)] = [("task_id", t.taskID.map(JSONValue.string) ?? .null), ("local_id", .int(Int(t.localID))),
                                         ("endpoint", .string(t.baseURL)), ("model", .string(t.request.model)),
                                         ("prompt", .string(t.request.prompt)), ("index", .int(item.result.index)),
                                         ("created_at", .string(ISO8601DateFormatter().string(from: t.createdAt)))]
        if let s = t.request.size { m.append(("size", .string(s))) }
        if let a = t.request.aspectRatio { m.append(("aspect_ratio", .string(a))) }
        return .object(m)
    }

    /// The page: one figure per picture, newest first, everything escaped.
    public static func html(_ items: [Item], timeZone: TimeZone, now: Date) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = timeZone
        date.dateFormat = "yyyy-MM-dd HH:mm xxx"
        var out = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        \(generator)
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>darkroom: \(items.count) picture\(items.count == 1 ? "" : "s")</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 1.5rem; background: #16181c; color: #e6e6e6; }
        h1 { font-size: 1.2rem; font-weight: 600; margin: 0 0 1rem; }
        main { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1.25rem; }
        figure { margin: 0; background: #22252b; border-radius: 6px; overflow: hidden; }
        figure img { display: block; width: 100%; height: 260px; object-fit: contain; background: #0e0f12; }
        figcaption { padding: .6rem .75rem .75rem; }
        .prompt { white-space: pre-wrap; word-break: break-word; margin: 0 0 .4rem; }
        dl { display: grid; grid-template-columns: auto 1fr; gap: .1rem .6rem; margin: 0; color: #a9adb6; font-size: 12px; }
        dt { color: #7d828c; } dd { margin: 0; word-break: break-all; }
        a { color: #8fc1ff; }
        </style>
        </head>
        <body>
        <h1>darkroom: \(items.count) picture\(items.count == 1 ? "" : "s"), exported \(escape(date.string(from: now)))</h1>
        <main>

        """
        for item in items {
            let t = item.task, r = item.result
            let src = "pictures/" + escape(item.name)
            let json = "pictures/" + escape(URL(fileURLWithPath: item.name).deletingPathExtension().lastPathComponent) + ".json"
            let pixels = r.file.flatMap { f in f.width.flatMap { w in f.height.map { "\(w)x\($0) px" } } } ?? ""
            let asked = t.request.size ?? t.request.aspectRatio.map { "aspect \($0)" } ?? ""
            let size = [asked, pixels].filter { !$0.isEmpty }.joined(separator: " · ")
            // What the user kept: a star (the task's or this picture's), tags, a style.
            var kept = ""
            if t.isStarred(picture: r.index) { kept += "<dt>starred</dt><dd>★</dd>\n" }
            if !t.tags.isEmpty { kept += "<dt>tags</dt><dd>\(escape(t.tags.map { "#\($0.name)" }.joined(separator: " ")))</dd>\n" }
            if let style = t.request.style { kept += "<dt>style</dt><dd>\(escape(style.name))</dd>\n" }
            out += """
            <figure>
            <a href="\(src)"><img src="\(src)" alt="\(escape(t.request.prompt))" dir="auto" loading="lazy"></a>
            <figcaption>
            <p class="prompt" dir="auto"><bdi>\(escape(t.request.prompt))</bdi></p>
            <dl>
            <dt>model</dt><dd>\(escape(t.request.model))</dd>
            <dt>size</dt><dd>\(escape(size))</dd>
            <dt>date</dt><dd>\(escape(date.string(from: t.createdAt)))</dd>
            <dt>task</dt><dd>#\(t.localID) \(escape(t.shownTaskID ?? "")) [\(r.index)]</dd>
            <dt>file</dt><dd><a href="\(json)">sidecar</a></dd>
            \(kept)</dl>
            </figcaption>
            </figure>

            """
        }
        return out + "</main>\n</body>\n</html>\n"
    }

    /// HTML text: `& < > " '` escaped, control characters dropped (text from a server is untrusted).
    public static func escape(_ s: String) -> String { MarkupEscape.text(s) }
}
