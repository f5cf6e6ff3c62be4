import Foundation

/// Checks a composed request against the catalog and returns every problem at
/// once, or the typed `ValidRequest`. Nothing is sent unless this succeeds.
///
/// Local reference files are opened to check their size (at most
/// `maxReferenceBytes`, 20 MiB) and magic bytes; nothing else touches the disk.
public enum RequestValidator {
    /// The largest local reference file accepted (20 MiB).
    public static let maxReferenceBytes = 20 * 1024 * 1024
    public static let nRange = 1...8

    /// The first control character of a prompt other than newline and tab (C0, DEL
    /// and C1), with its position in characters counted from 1.
    static func firstControlCharacter(_ text: String) -> (Int, Unicode.Scalar)? {
        for (i, c) in text.enumerated() {
            for s in c.unicodeScalars where (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value) {
                return (i + 1, s)
            }
        }
        return nil
    }

    /// - Parameter inspect: opens a local reference file (default `inspectFile`).
    public static func validate(_ r: ImageRequest, inspect: (String) -> Result<LocalImage, ValidationProblem> = inspectFile)
        -> Result<ValidRequest, ValidationFailure> {
        var problems: [ValidationProblem] = []
        var warnings: [String] = []

        // Model
        let trimmedModel = r.model.trimmingCharacters(in: .whitespaces)
        let model = Catalog.model(trimmedModel)
        if trimmedModel.isEmpty {
            problems.append(.init(.model, "choose a model; `darkroom models` lists them"))
        } else if model == nil {
            if r.allowUnknownModel {
                warnings.append("\"\(trimmedModel)\" is not in darkroom's catalog; sending it unchecked as you asked")
            } else {
                var msg = "unknown model \"\(trimmedModel)\""
                if let s = Catalog.suggestion(for: trimmedModel) { msg += "; did you mean \(s.id)?" } else { msg += "." }
                msg += " Known models: \(Catalog.models.map(\.id).joined(separator: ", ")). --allow-unknown-model sends a model darkroom has no rules for"
                problems.append(.init(.model, msg))
            }
        }

        // Prompt
        if r.prompt.isEmpty {
            problems.append(.init(.prompt, "the prompt is empty; say what to draw"))
        } else if r.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(.prompt, "the prompt is only whitespace; say what to draw"))
        } else if let (position, scalar) = Self.firstControlCharacter(r.prompt) {
            let code = "U+" + String(format: "%04X", scalar.value)
            problems.append(.init(.prompt, "the prompt holds a control character (\(code)) at position \(position); remove it (only newlines and tabs may stay)"))
        }

        // Size, aspect ratio, quality: by family
        var size: GPTImageSize?
        var rawSize: String?
        var ratio: AspectRatio?
        var quality: Quality?
        let givenSize = nonEmpty(r.size)
        let givenRatio = nonEmpty(r.aspectRatio)
        let givenQuality = nonEmpty(r.quality)

        if let givenQuality, Quality(rawValue: givenQuality.lowercased()) == nil {
            problems.append(.init(.quality, "quality must be low, medium or high (got \"\(givenQuality)\")"))
        }
        if let m = model {
            if m.takesSize {
                if let s = givenSize {
                    if let found = Catalog.size(named: s) { size = found } else {
                        problems.append(.init(.size, "\(s) is not a gpt-image-2 size; \(sizeHint(for: s))"))
                    }
                } else {
                    problems.append(.init(.size, "gpt-image-2 needs a size, e.g. 1024x1024 (1K), 2048x1152 (2K) or 3840x2160 (4K); `darkroom models` lists all 48"))
                }
                if let givenRatio {
                    let hint = AspectRatio(rawValue: givenRatio).flatMap { nearestSizeHint(for: $0) } ?? ""
                    problems.append(.init(.aspectRatio, "gpt-image-2 does not take an aspect ratio; the size sets the shape\(hint)"))
                }
                if let q = givenQuality { quality = Quality(rawValue: q.lowercased()) } else { quality = .medium }
            } else {
                if givenSize != nil {
                    problems.append(.init(.size, "\(m.id) does not take a size: the tier is chosen by the model name (\(tierNames(m.family))); use an aspect ratio for the shape"))
                }
                if givenQuality != nil {
                    problems.append(.init(.quality, "\(m.id) does not take a quality: the tier is chosen by the model name (\(tierNames(m.family)))"))
                }
                if let g = givenRatio {
                    if let a = AspectRatio(rawValue: g), m.aspectRatios.contains(a) { ratio = a } else {
                        problems.append(.init(.aspectRatio, "\(g) is not an aspect ratio \(m.id) takes; choose one of \(m.aspectRatios.map(\.rawValue).joined(separator: ", "))"))
                    }
                }
            }
        } else if r.allowUnknownModel {
            rawSize = givenSize
            ratio = givenRatio.flatMap { AspectRatio(rawValue: $0) }
            if let g = givenRatio, ratio == nil {
                problems.append(.init(.aspectRatio, "\(g) is not one of the API's aspect ratios: \(AspectRatio.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            quality = givenQuality.flatMap { Quality(rawValue: $0.lowercased()) }
        }

        // Output format
        var format = OutputFormat.png
        if let f = nonEmpty(r.outputFormat) {
            let normalized = f.lowercased() == "jpg" ? "jpeg" : f.lowercased()
            if let parsed = OutputFormat(rawValue: normalized) {
                format = parsed
                if let m = model, !m.outputFormats.contains(parsed) {
                    problems.append(.init(.outputFormat, "\(parsed.rawValue) is not offered by \(m.id); choose \(orList(m.outputFormats.map(\.rawValue)))"))
                }
            } else {
                let offered = model?.outputFormats.map(\.rawValue) ?? OutputFormat.allCases.map(\.rawValue)
                problems.append(.init(.outputFormat, "unknown output format \"\(f)\"; choose \(orList(offered))"))
            }
        }

        // n
        if !nRange.contains(r.n) {
            problems.append(.init(.n, "n must be between 1 and 8 (got \(r.n))"))
        }

        // References
        let (refs, refProblems) = checkReferences(r.references, inspect: inspect)
        problems += refProblems

        // Task type
        var taskType: TaskType = r.references.isEmpty ? .text2image : .image2image
        if let t = nonEmpty(r.taskType) {
            if let parsed = TaskType(rawValue: t.lowercased()) {
                taskType = parsed
                if parsed == .image2image && r.references.isEmpty {
                    problems.append(.init(.taskType, "image2image needs a reference image (an http(s) URL or a local PNG, JPEG or WebP file)"))
                } else if parsed == .text2image && !r.references.isEmpty {
                    problems.append(.init(.taskType, "text2image takes no reference image; remove the image, or use image2image"))
                }
            } else {
                problems.append(.init(.taskType, "task type must be text2image or image2image (got \"\(t)\")"))
            }
        }

        if !problems.isEmpty { return .failure(ValidationFailure(problems: problems)) }
        return .success(ValidRequest(
            modelID: trimmedModel, model: model, prompt: r.prompt, taskType: taskType, references: refs,
            size: size, rawSize: rawSize, aspectRatio: ratio, quality: quality, n: r.n,
            outputFormat: format, warnings: warnings))
    }

    /// Checks reference images: each an http(s) URL or a readable local image file,
    /// files and URLs not mixed.
    /// - Parameter inspect: opens a local file (default `inspectFile`; the TUI gives
    ///   answers it got off its terminal thread).
    public static func checkReferences(_ refs: [String], inspect: (String) -> Result<LocalImage, ValidationProblem> = inspectFile)
        -> (ReferenceImages, [ValidationProblem]) {
        var urls: [String] = []
        var files: [LocalImage] = []
        var problems: [ValidationProblem] = []
        for raw in refs {
            let ref = raw.trimmingCharacters(in: .whitespaces)
            if ref.isEmpty {
                problems.append(.init(.references, "a reference image is empty; give an http(s) URL or a file path"))
                continue
            }
            let lower = ref.lowercased()
            if lower.hasPrefix("file:") {
                // A file URL names a local file: file:///path or file://localhost/path.
                guard let path = fileURLPath(ref) else {
                    problems.append(.init(.references, "\"\(ref)\" is not a local file URL; write file:///path/to/image.png or just the path"))
                    continue
                }
                switch inspect(path) {
                case let .success(img): files.append(img)
                case let .failure(p): problems.append(p)
                }
                continue
            }
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                if let u = URL(string: ref), let host = u.host, !host.isEmpty { urls.append(ref) } else {
                    problems.append(.init(.references, "\"\(ref)\" is not a valid URL"))
                }
                continue
            }
            switch inspect(ref) {
            case let .success(img): files.append(img)
            case let .failure(p): problems.append(p)
            }
        }
        if !urls.isEmpty && !files.isEmpty {
            problems.append(.init(.references, "local files and URLs cannot be mixed in one request; upload files or link URLs, not both"))
        }
        let result: ReferenceImages = !files.isEmpty ? .files(files) : (!urls.isEmpty ? .urls(urls) : .none)
        return (result, problems)
    }

    /// The path of a `file:` URL on this machine (percent-escapes decoded), or nil
    /// for another host or no path.
    public static func fileURLPath(_ ref: String) -> String? {
        guard let u = URL(string: ref), u.scheme?.lowercased() == "file" else { return nil }
        let host = u.host ?? ""
        guard host.isEmpty || host.lowercased() == "localhost" else { return nil }
        let path = u.path
        return path.isEmpty ? nil : path
    }

    /// Opens a local reference file and checks that it is a PNG, JPEG or WebP of at most 20 MiB.
    public static func inspectFile(_ ref: String) -> Result<LocalImage, ValidationProblem> {
        let path = (ref as NSString).expandingTildeInPath
        var isDir: ObjCBool = false
        let fm = FileManager.default
        guard fm.fileExists(atPath: path, isDirectory: &isDir), fm.isReadableFile(atPath: path) else {
            let scheme = ref.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil
            return .failure(.init(.references, "\"\(ref)\" is neither an http(s) URL nor a readable local file\(scheme ? " (http, https and file links are accepted)" : "")"))
        }
        if isDir.boolValue { return .failure(.init(.references, "\"\(ref)\" is a folder, not an image file")) }
        let size = ((try? fm.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > maxReferenceBytes {
            return .failure(.init(.references, "\"\(ref)\" is \(mib(size)); a reference file may be at most 20 MiB"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(.init(.references, "\"\(ref)\" cannot be read"))
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 12)) ?? Data()
        guard let format = ImageSniffer.format(of: head) else {
            return .failure(.init(.references, "\"\(ref)\" is not a PNG, JPEG or WebP image (checked by its content)"))
        }
        return .success(LocalImage(path: path, fileName: (path as NSString).lastPathComponent, format: format, byteCount: size))
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }

    private static func tierNames(_ family: ModelFamily) -> String {
        let names = Catalog.models(of: family).map(\.id)
        return names.count > 1 ? names.joined(separator: ", ") : (names.first ?? family.rawValue)
    }

    private static func orList(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
    }

    private static func mib(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    private static func sizeHint(for given: String) -> String {
        let parts = given.lowercased().split(separator: "x").compactMap { Int($0) }
        if parts.count == 2, parts[1] > 0 {
            let aspect = Double(parts[0]) / Double(parts[1])
            let area = Double(parts[0] * parts[1])
            func score(_ s: GPTImageSize) -> Double {
                abs(log(s.aspect / aspect)) + abs(log(Double(s.width * s.height) / max(area, 1))) / 4
            }
            let near = GPTImageSize.all.min { score($0) < score($1) }
            if let near { return "the nearest is \(near.name) (\(near.ratioLabel), \(near.tier.rawValue)); `darkroom models` lists all 48" }
        }
        return "write it as WIDTHxHEIGHT from the table, e.g. 1024x1024; `darkroom models` lists all 48"
    }

    private static func nearestSizeHint(for ratio: AspectRatio) -> String? {
        guard let s = Catalog.sizes(ofTier: .k1).min(by: { abs(log($0.aspect / ratio.value)) < abs(log($1.aspect / ratio.value)) }) else { return nil }
        return " (for \(ratio.rawValue) try \(s.name))"
    }
}

/// Every problem found in a request. Its description lists them one per line.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [ValidationProblem]
    public init(problems: [ValidationProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
    /// The problems that concern one field.
    public func problems(for field: RequestField) -> [ValidationProblem] { problems.filter { $0.field == field } }
}
