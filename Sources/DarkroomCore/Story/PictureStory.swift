import Foundation

/// The request behind a picture, as copies that leave the history carry it
/// inside the file (`MetadataWriter`) and `darkroom recall` reads it back
/// (`MetadataReader`): prompt, model, shape, quality, task id, the endpoint's
/// host (never the key), the date, and the pictures it was made from.
public struct PictureStory: Sendable, Equatable {
    public var prompt: String
    public var model: String
    public var size: String?
    public var aspectRatio: String?
    public var quality: String?
    public var outputFormat: String?
    public var taskID: String?
    /// darkroom's local id in the history that wrote the copy.
    public var localID: Int64?
    /// Which of the task's pictures this is (0 is the first).
    public var index: Int
    /// The endpoint's host (`api.example.com`): where the task ran, never the key.
    public var host: String?
    public var date: Date?
    public var parents: [PictureOrigin]

    public init(prompt: String, model: String, size: String? = nil, aspectRatio: String? = nil, quality: String? = nil,
                outputFormat: String? = nil, taskID: String? = nil, localID: Int64? = nil, index: Int = 0, host: String? = nil,
                date: Date? = nil, parents: [PictureOrigin] = []) {
        self.prompt = prompt
        self.model = model
        self.size = size
        self.aspectRatio = aspectRatio
        self.quality = quality
        self.outputFormat = outputFormat
        self.taskID = taskID
        self.localID = localID
        self.index = index
        self.host = host
        self.date = date
        self.parents = parents
    }

    /// The story of picture `index` of a task.
    public init(_ r: TaskRecord, index: Int) {
        self.init(prompt: r.request.prompt, model: r.request.model, size: r.request.size, aspectRatio: r.request.aspectRatio,
                  quality: r.sentQuality ?? r.request.quality, outputFormat: r.sentFormat ?? r.request.outputFormat, taskID: r.taskID,
                  localID: r.localID, index: index, host: URL(string: r.baseURL)?.host, date: r.finishedAt ?? r.createdAt,
                  parents: r.request.origins)
    }

    /// The request to make it again (the composer's `--edit`, `recall`'s output).
    public var request: ImageRequest {
        ImageRequest(model: model, prompt: prompt, size: size, aspectRatio: aspectRatio, quality: quality, outputFormat: outputFormat)
    }

    /// The human-readable text PNG-info readers show: the prompt, then one line
    /// of settings ("Model: gpt-image-2, Size: 1024x1024, ...").
    public var parametersText: String {
        var settings: [String] = ["Model: \(model)"]
        if let size { settings.append("Size: \(size)") }
        if let aspectRatio { settings.append("Aspect ratio: \(aspectRatio)") }
        if let quality { settings.append("Quality: \(quality)") }
        if let taskID { settings.append("Task: \(taskID)") }
        if let host { settings.append("Host: \(host)") }
        if let date { settings.append("Date: \(TimeText.iso8601(date))") }
        if !parents.isEmpty { settings.append("From: " + parents.map { "\($0.reference)" + ($0.sha256.isEmpty ? "" : " sha256:\($0.sha256)") }.joined(separator: " ")) }
        settings.append("Made with: darkroom")
        return prompt + "\n" + settings.joined(separator: ", ")
    }

    /// The story as JSON (`darkroom recall --json`, and inside the file).
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [("darkroom", 1), ("prompt", .string(prompt)), ("model", .string(model))]
        m.append(("size", size.map { .string($0) } ?? .null))
        m.append(("aspect_ratio", aspectRatio.map { .string($0) } ?? .null))
        m.append(("quality", quality.map { .string($0) } ?? .null))
        m.append(("output_format", outputFormat.map { .string($0) } ?? .null))
        m.append(("task_id", taskID.map { .string($0) } ?? .null))
        m.append(("local_id", localID.map { .int(Int($0)) } ?? .null))
        m.append(("picture", .int(index)))
        m.append(("host", host.map { .string($0) } ?? .null))
        m.append(("date", date.map { .string(TimeText.iso8601($0)) } ?? .null))
        m.append(("parents", .array(parents.map { .object([("local_id", .int(Int($0.localID))), ("task_id", $0.taskID.map { .string($0) } ?? .null),
                                                             ("picture", .int($0.index)), ("sha256", .string($0.sha256))]) })))
        return .object(m)
    }

    /// Reads what `json` wrote; nil when it is not darkroom's.
    public static func from(json j: JSONValue) -> PictureStory? {
        guard j["darkroom"]?.intValue == 1, let prompt = j["prompt"]?.stringValue, let model = j["model"]?.stringValue else { return nil }
        func str(_ k: String) -> String? { j[k]?.stringValue }
        let date = str("date").flatMap { ISO8601DateFormatter().date(from: $0) }
        let parents: [PictureOrigin] = (j["parents"]?.arrayValue ?? []).compactMap { p in
            guard let id = p["local_id"]?.intValue, let i = p["picture"]?.intValue else { return nil }
            return PictureOrigin(localID: Int64(id), taskID: p["task_id"]?.stringValue, index: i, sha256: p["sha256"]?.stringValue ?? "")
        }
        return PictureStory(prompt: prompt, model: model, size: str("size"), aspectRatio: str("aspect_ratio"), quality: str("quality"),
                            outputFormat: str("output_format"), taskID: str("task_id"), localID: j["local_id"]?.intValue.map(Int64.init),
                            index: j["picture"]?.intValue ?? 0, host: str("host"), date: date, parents: parents)
    }

    /// darkroom's XMP namespace (documented in the README).
    public static let namespace = "https://github.com/darkroom-studio/darkroom/ns/1.0/"

    /// An XMP packet: `dc:description` (the prompt, which every XMP reader shows),
    /// the fields as `darkroom:` properties, and the whole story as JSON in `darkroom:Story`.
    public var xmp: String {
        let esc = MarkupEscape.text
        var props: [(String, String)] = [("Prompt", prompt), ("Model", model)]
        if let size { props.append(("Size", size)) }
        if let aspectRatio { props.append(("AspectRatio", aspectRatio)) }
        if let quality { props.append(("Quality", quality)) }
        if let taskID { props.append(("TaskID", taskID)) }
        if let host { props.append(("Host", host)) }
        if let date { props.append(("Date", TimeText.iso8601(date))) }
        if !parents.isEmpty { props.append(("Parents", parents.map { $0.reference + ($0.sha256.isEmpty ? "" : " sha256:\($0.sha256)") }.joined(separator: " "))) }
        props.append(("Story", json.serialized()))
        let body = props.map { "   <darkroom:\($0.0)>\(esc($0.1))</darkroom:\($0.0)>" }.joined(separator: "\n")
        return """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:darkroom="\(Self.namespace)">
           <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(esc(prompt))</rdf:li></rdf:Alt></dc:description>
        \(body)
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>
        """
    }

    /// The story in an XMP packet (`darkroom:Story`), or nil.
    public static func from(xmp: String) -> PictureStory? {
        guard let open = xmp.range(of: "<darkroom:Story>"), let close = xmp.range(of: "</darkroom:Story>", range: open.upperBound..<xmp.endIndex) else {
            return nil
        }
        let text = MarkupEscape.unescape(String(xmp[open.upperBound..<close.lowerBound]))
        return (try? JSONParser.parse(text)).flatMap(from(json:))
    }
}
