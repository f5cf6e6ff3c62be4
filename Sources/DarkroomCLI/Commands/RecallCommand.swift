import ArgumentParser
import DarkroomCore
import DarkroomHistory
import Foundation

struct RecallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Read back the request a picture was made with, from the file itself, its sidecar, or the history.",
        discussion: """
        Copies darkroom writes (export, download --to) carry their request inside: XMP in
        PNG, JPEG and WebP, and a `parameters` text in PNG. An original from the results
        folder is found in the history by its SHA-256. Exit 0 when the request was found;
        65 when the picture holds no darkroom story (what it holds is said); 66 when the
        file cannot be read as a picture.
        """)

    @Argument(help: "A PNG, JPEG or WebP file.")
    var file: String

    @OptionGroup(title: "Output") var output: JSONOutput

    @Flag(name: .long, help: "Open the TUI's composer with the request, to edit it and send it again.")
    var edit = false

    @OptionGroup var connection: ConnectionOptions

    /// Larger than any picture the API makes.
    static let maxBytes = 256 << 20

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let path = (file as NSString).expandingTildeInPath
        let shown = TerminalSanitizer.clean(path)
        var st = stat()
        guard stat(path, &st) == 0 else { throw CLIFailure(.unreadable, "cannot read \(shown): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw CLIFailure(.unreadable, "\(shown) is not a file") }
        guard Int(st.st_size) <= Self.maxBytes else {
            throw CLIFailure(.unreadable, "\(shown) is \(ByteCount.text(Int(st.st_size))), larger than any picture darkroom makes")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.unreadable, "cannot read \(shown)") }
        let bytes = Array(data)
        let found: PictureMetadata
        do { found = try MetadataReader.read(bytes) } catch { throw CLIFailure(.unreadable, "\(shown): \(error.description)") }
        if case let .darkroom(story) = found { return try await show(story, source: "inside the file (darkroom XMP)", ctx) }
        // An original: the history knows its bytes (and the whole request).
        if let store = try? StudioSession.openStore(ctx), let (record, index) = try? await store.result(sha256: SHA256.hex(bytes), path: URL(fileURLWithPath: path).standardizedFileURL.path) {
            return try await show(PictureStory(record, index: index), source: "the history (#\(record.localID), by the file's SHA-256)", ctx)
        }
        // The sidecar darkroom writes beside every saved picture and export.
        let sidecar = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("json").path
        if let side = FileManager.default.contents(atPath: sidecar), let story = Self.story(sidecar: Array(side)) {
            return try await show(story, source: "its sidecar \(TerminalSanitizer.clean(sidecar))", ctx)
        }
        let what: String
        switch found {
        case let .other(text): what = "another tool's text:\n" + text
        case let .nothing(format): what = "nothing of the kind: a \(format.rawValue.uppercased()) with no generation data, no sidecar, and no picture with these bytes in the history"
        case .darkroom: what = ""
        }
        if output.json {
            ctx.console.out(JSONValue.object([("found", false), ("other", { if case let .other(t) = found { return .string(t) }; return .null }())])
                .serialized(pretty: true))
        }
        throw CLIFailure(.noStory, "\(shown) holds no darkroom story; it holds \(what)")
    }

    func show(_ story: PictureStory, source: String, _ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        if edit {
            var tui: TUICommand
            do { tui = try TUICommand.parse([]) } catch { throw CLIFailure(.invalidInput, "\(error)") }
            tui.connection = connection
            var request = story.request
            // A remix opens as one: the parents' saved pictures as its references.
            if !story.parents.isEmpty, let store = try? StudioSession.openStore(ctx) {
                for p in story.parents {
                    guard let file = (try? await store.record(localID: p.localID))??.results.first(where: { $0.index == p.index })?.file,
                          FileManager.default.fileExists(atPath: file.path) else { continue }
                    request.references.append(file.path)
                    request.origins.append(PictureOrigin(localID: p.localID, taskID: p.taskID, index: p.index, sha256: file.sha256, path: file.path))
                }
            }
            return try await tui.execute(ctx, initial: request)
        }
        if output.json {
            guard case var .object(m) = story.json else { return .ok }
            m.append(("source", .string(source)))
            ctx.console.out(JSONValue.object(m).serialized(pretty: true))
            return .ok
        }
        var lines = ["prompt   " + TerminalSanitizer.clean(story.prompt, keepNewlines: true).replacingOccurrences(of: "\n", with: "\n         ")]
        lines.append("model    " + TerminalSanitizer.clean(story.model))
        for (label, value) in [("size", story.size), ("ratio", story.aspectRatio), ("quality", story.quality), ("format", story.outputFormat),
                               ("task", story.taskID.map { $0 + (story.localID.map { " (#\($0), picture \(story.index + 1))" } ?? "") }),
                               ("host", story.host), ("date", story.date.map(TimeText.iso8601))] {
            if let value { lines.append(DisplayWidth.pad(label, to: 9) + TerminalSanitizer.clean(value)) }
        }
        for p in story.parents { lines.append("from     \(p.label)" + (p.sha256.isEmpty ? "" : " sha256 \(p.sha256)")) }
        lines.append("source   " + source)
        var again = ["darkroom", "submit"]
        // A remix is made again from the same pictures (in this history).
        for p in story.parents { again += ["--from", p.reference] }
        again += ["--model", story.model]
        if let s = story.size { again += ["--size", s] }
        if let a = story.aspectRatio { again += ["--aspect-ratio", a] }
        if let q = story.quality { again += ["--quality", q] }
        if let f = story.outputFormat { again += ["--format", f] }
        again += ["--prompt", story.prompt]
        lines.append("again    " + again.map(Self.shellWord).joined(separator: " "))
        ctx.console.out(lines.joined(separator: "\n"))
        return .ok
    }

    /// A word as a shell reads it: as it is when plain, else in single quotes.
    static func shellWord(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "_./:=+-".unicodeScalars.contains($0) }
        return plain ? s : CurlCommand.quote(s)
    }

    /// The request in a sidecar darkroom wrote (prompt and model at least).
    static func story(sidecar: [UInt8]) -> PictureStory? {
        guard let j = try? JSONParser.parse(sidecar), let prompt = j["prompt"]?.stringValue, let model = j["model"]?.stringValue else { return nil }
        let date = (j["finished_at"] ?? j["created_at"])?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) }
        return PictureStory(prompt: prompt, model: model, size: j["size"]?.stringValue, aspectRatio: j["aspect_ratio"]?.stringValue,
                            quality: j["quality"]?.stringValue, outputFormat: (j["output_format"] ?? j["format"])?.stringValue,
                            taskID: j["task_id"]?.stringValue, localID: j["local_id"]?.intValue.map(Int64.init), index: j["index"]?.intValue ?? 0,
                            host: (j["endpoint"] ?? j["base_url"])?.stringValue.flatMap { URL(string: $0)?.host }, date: date)
    }
}
