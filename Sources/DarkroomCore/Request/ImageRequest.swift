import Foundation
/// A request as a user composed it: loose strings straight from flags or the
/// composer, so that validation can name whatever is wrong with them.
/// `RequestValidator` turns it into a `ValidRequest`, the only thing the client sends.
public struct ImageRequest: Sendable, Equatable, Codable, Hashable {
    enum CodingKeys: String, CodingKey {
        case model, prompt, taskType, references, size, aspectRatio, quality, n, outputFormat, allowUnknownModel, origins, style
    }

    /// Reads what `JSONEncoder` wrote, older requests (without `origins` or `style`) included.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        prompt = try c.decode(String.self, forKey: .prompt)
        taskType = try c.decodeIfPresent(String.self, forKey: .taskType)
        references = try c.decodeIfPresent([String].self, forKey: .references) ?? []
        size = try c.decodeIfPresent(String.self, forKey: .size)
        aspectRatio = try c.decodeIfPresent(String.self, forKey: .aspectRatio)
        quality = try c.decodeIfPresent(String.self, forKey: .quality)
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 1
        outputFormat = try c.decodeIfPresent(String.self, forKey: .outputFormat)
        allowUnknownModel = try c.decodeIfPresent(Bool.self, forKey: .allowUnknownModel) ?? false
        origins = try c.decodeIfPresent([PictureOrigin].self, forKey: .origins) ?? []
        style = try c.decodeIfPresent(StyleUse.self, forKey: .style)
    }

    /// Writes the request as before lineage existed, plus `origins` when there are
    /// some and `style` when there is one.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(prompt, forKey: .prompt)
        try c.encodeIfPresent(taskType, forKey: .taskType)
        try c.encode(references, forKey: .references)
        try c.encodeIfPresent(size, forKey: .size)
        try c.encodeIfPresent(aspectRatio, forKey: .aspectRatio)
        try c.encodeIfPresent(quality, forKey: .quality)
        try c.encode(n, forKey: .n)
        try c.encodeIfPresent(outputFormat, forKey: .outputFormat)
        try c.encode(allowUnknownModel, forKey: .allowUnknownModel)
        if !origins.isEmpty { try c.encode(origins, forKey: .origins) }
        try c.encodeIfPresent(style, forKey: .style)
    }

    /// A prompt longer than this many characters is asked about before it is sent
    /// (TUI) or said on stderr and asked with a terminal (CLI): likely a paste gone wrong.
    public static let longPrompt = 8000

    /// The model name, e.g. `gpt-image-2` or `NanoBanana2-1K`.
    public var model: String
    /// What to draw. Required; surrounding whitespace is kept as typed.
    public var prompt: String
    /// `text2image` or `image2image`; nil means infer it from `references`.
    public var taskType: String?
    /// Reference images: http(s) URLs, or local file paths (uploaded as multipart).
    public var references: [String]
    /// gpt-image-2 only: `WIDTHxHEIGHT` from the size table. Required there.
    public var size: String?
    /// NanoBanana families only: one of the ten ratios.
    public var aspectRatio: String?
    /// gpt-image-2 only: low, medium or high; nil sends the default, medium.
    public var quality: String?
    /// Images per task, 1 to 8. Default 1.
    public var n: Int
    /// png, jpeg or webp as the model allows; nil sends png.
    public var outputFormat: String?
    /// Send a model name missing from the catalog anyway (with a warning).
    public var allowUnknownModel: Bool
    /// The pictures this request remixes (`--from`, the remix key), in the order of
    /// `references`; recorded as the task's lineage. Empty for most requests.
    public var origins: [PictureOrigin] = []
    /// The style `prompt` was made with (`styled(_:)`): its name and the prompt as
    /// typed. `prompt` is the prompt as sent. Kept in the history, never sent
    /// (`RequestEncoder` writes only `prompt`). Nil for most requests.
    public var style: StyleUse? = nil

    public init(model: String, prompt: String, taskType: String? = nil, references: [String] = [],
                size: String? = nil, aspectRatio: String? = nil, quality: String? = nil, n: Int = 1,
                outputFormat: String? = nil, allowUnknownModel: Bool = false) {
        self.model = model
        self.prompt = prompt
        self.taskType = taskType
        self.references = references
        self.size = size
        self.aspectRatio = aspectRatio
        self.quality = quality
        self.n = n
        self.outputFormat = outputFormat
        self.allowUnknownModel = allowUnknownModel
    }
}

extension ImageRequest {
    /// Reads what `JSONEncoder` wrote for an `ImageRequest` (the history keeps
    /// requests so), with darkroom's own parser: much cheaper than `JSONDecoder`
    /// on the hot path of reading records. Nil when the text is not such an object.
    public static func fromStoredJSON(_ text: String) -> ImageRequest? {
        guard let j = try? JSONParser.parse(text), case .object = j,
              let model = j["model"]?.stringValue, let prompt = j["prompt"]?.stringValue else { return nil }
        func opt(_ k: String) -> String? { j[k]?.stringValue }
        var r = ImageRequest(model: model, prompt: prompt, taskType: opt("taskType"),
                             references: j["references"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                             size: opt("size"), aspectRatio: opt("aspectRatio"), quality: opt("quality"),
                             n: j["n"]?.intValue ?? 1, outputFormat: opt("outputFormat"),
                             allowUnknownModel: { if case let .bool(b)? = j["allowUnknownModel"] { return b }; return false }())
        r.origins = j["origins"]?.arrayValue?.compactMap(PictureOrigin.from(json:)) ?? []
        if let s = j["style"], let name = s["name"]?.stringValue, let typed = s["prompt"]?.stringValue {
            r.style = StyleUse(name: name, prompt: typed)
        }
        return r
    }
}

/// The part of a request a validation problem concerns, so a UI can show the
/// message next to its field.
public enum RequestField: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case model, prompt, taskType = "task_type", references = "image", size, aspectRatio = "aspect_ratio"
    case quality, n, outputFormat = "output_format"
}

/// One thing wrong with a request, in words a user understands.
public struct ValidationProblem: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    public let field: RequestField
    public let message: String
    public init(_ field: RequestField, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field.rawValue): \(message)" }
}

/// A reference image after validation.
public enum ReferenceImages: Sendable, Equatable, Hashable {
    case none
    /// Sent in JSON: one as `image`, several as `images`.
    case urls([String])
    /// Uploaded as multipart parts named `image`.
    case files([LocalImage])

    public var isEmpty: Bool {
        switch self {
        case .none: return true
        case let .urls(u): return u.isEmpty
        case let .files(f): return f.isEmpty
        }
    }
}

/// A local reference file that passed validation: readable, at most 20 MiB, and
/// PNG, JPEG or WebP by its magic bytes.
public struct LocalImage: Sendable, Equatable, Hashable {
    public let path: String
    public let fileName: String
    public let format: OutputFormat
    public let byteCount: Int

    public init(path: String, fileName: String, format: OutputFormat, byteCount: Int) {
        self.path = path
        self.fileName = fileName
        self.format = format
        self.byteCount = byteCount
    }

    /// A file taken at its word, without opening it: the format from the name's
    /// extension (PNG when it says nothing), size unknown. For writing a command
    /// that opens the file later (`curl -F image=@path`), never for sending.
    public static func unopened(_ path: String) -> LocalImage {
        let ext = (path as NSString).pathExtension.lowercased()
        let format: OutputFormat = ext == "jpg" || ext == "jpeg" ? .jpeg : ext == "webp" ? .webp : .png
        return LocalImage(path: path, fileName: (path as NSString).lastPathComponent, format: format, byteCount: 0)
    }
}

/// A request that passed validation: typed values only, ready to encode.
public struct ValidRequest: Sendable, Equatable, Hashable {
    public let modelID: String
    /// Nil only for a model name sent with `allowUnknownModel`.
    public let model: ImageModel?
    public let prompt: String
    public let taskType: TaskType
    public let references: ReferenceImages
    public let size: GPTImageSize?
    /// For an unknown model, a size string passed through as given.
    public let rawSize: String?
    public let aspectRatio: AspectRatio?
    public let quality: Quality?
    public let n: Int
    public let outputFormat: OutputFormat
    /// Notes that do not stop the request (e.g. an unknown model sent on purpose).
    public let warnings: [String]

    /// The tier the result will have, when known.
    public var tier: Tier? { size?.tier ?? model?.tier }
}

extension ImageRequest {
    /// "gpt-image-2 1536x1024 low: a red fox": the model, the shape and quality
    /// sent, and the prompt's first line (control characters removed), for lists
    /// of a run's requests and messages about one of them.
    public var label: String {
        let shape = [size, aspectRatio, quality].compactMap { $0 }.joined(separator: " ")
        let first = TerminalSanitizer.clean(String(prompt.split(separator: "\n").first ?? ""))
        return "\(model)\(shape.isEmpty ? "" : " " + shape): \(first)"
    }
}
