import DarkroomCore
import Foundation

/// The fields of a submit, read from JSON or multipart, and the platform's rules
/// applied to them (a little more strictly than the platform, so a client that
/// sends something dubious finds out).
struct SubmitFields {
    struct Problem: Error {
        var status = 400
        let message: String
        var code = "invalid_request"
    }

    struct Checked {
        let model: String
        let prompt: String
        let taskType: String
        let n: Int
        let aspect: Double
        let format: OutputFormat
        var uploads: [String] = []
        var imageURLs: [String] = []
        /// The first uploaded picture, which an image2image result is made from.
        var firstUpload: [UInt8]?
    }

    var model: String?
    var prompt: String?
    var taskType: String?
    var imageURLs: [String] = []
    var files: [MultipartParser.Part] = []
    var size: String?
    var aspectRatio: String?
    var quality: String?
    var n: Int?
    var nText: String?
    var outputFormat: String?
    var responseFormat: String?

    static func read(contentType: String, body: [UInt8]) -> Result<SubmitFields, Problem> {
        var f = SubmitFields()
        if let boundary = MultipartParser.boundary(fromContentType: contentType) {
            let parts: [MultipartParser.Part]
            do { parts = try MultipartParser.parse(body, boundary: boundary) } catch {
                return .failure(Problem(message: "malformed multipart body: \(error.reason)"))
            }
            for p in parts {
                if p.fileName != nil { f.files.append(p); continue }
                let t = p.text
                switch p.name {
                case "model": f.model = t
                case "prompt": f.prompt = t
                case "task_type": f.taskType = t
                case "size": f.size = t
                case "aspect_ratio": f.aspectRatio = t
                case "quality": f.quality = t
                case "n": f.nText = t; f.n = Int(t)
                case "output_format": f.outputFormat = t
                case "response_format": f.responseFormat = t
                case "image", "images", "images[]": f.imageURLs.append(t)
                default: break
                }
            }
            return .success(f)
        }
        guard contentType.lowercased().hasPrefix("application/json") || contentType.isEmpty else {
            return .failure(Problem(message: "unsupported Content-Type \(contentType); send application/json or multipart/form-data"))
        }
        guard let json = try? JSONParser.parse(body), case .object = json else {
            return .failure(Problem(message: "the request body is not a JSON object"))
        }
        func str(_ k: String) throws(Problem) -> String? {
            guard let v = json[k], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw Problem(message: "\(k) must be a string") }
            return s
        }
        do throws(Problem) {
            f.model = try str("model")
            f.prompt = try str("prompt")
            f.taskType = try str("task_type")
            f.size = try str("size")
            f.aspectRatio = try str("aspect_ratio")
            f.quality = try str("quality")
            f.outputFormat = try str("output_format")
            f.responseFormat = try str("response_format")
            if let v = json["n"], !v.isNull {
                guard case let .int(i) = v else { throw Problem(message: "n must be an integer") }
                f.n = i
            }
            if let img = try str("image") { f.imageURLs.append(img) }
            if let imgs = json["images"], !imgs.isNull {
                guard let arr = imgs.arrayValue, arr.allSatisfy({ $0.stringValue != nil }) else {
                    throw Problem(message: "images must be an array of URL strings")
                }
                f.imageURLs += arr.compactMap(\.stringValue)
            }
        } catch {
            return .failure(error)
        }
        return .success(f)
    }

    func check() -> Result<Checked, Problem> {
        guard let model = model, !model.isEmpty else { return .failure(Problem(message: "model is required")) }
        // The gateway's extra image model takes NanoBanana's rules here.
        guard let m = Catalog.model(model) ?? (model == SimulatedGateway.extraImageModel ? Catalog.model("NanoBanana") : nil) else {
            return .failure(Problem(status: 503, message: "No available channel for model \(model) under group default (distributor)", code: "model_not_found"))
        }
        guard let prompt, !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(Problem(message: "prompt is required"))
        }
        let hasImage = !imageURLs.isEmpty || !files.isEmpty
        if !imageURLs.isEmpty && !files.isEmpty { return .failure(Problem(message: "send reference images as URLs or as files, not both")) }
        for u in imageURLs where !(u.lowercased().hasPrefix("http://") || u.lowercased().hasPrefix("https://")) {
            return .failure(Problem(message: "image must be an http(s) URL: \(u)"))
        }
        for file in files {
            guard file.name == "image" else { return .failure(Problem(message: "upload files in parts named image (got \(file.name))")) }
            guard ImageSniffer.format(of: file.body) != nil else { return .failure(Problem(message: "the uploaded image \(file.fileName ?? "") is not a PNG, JPEG or WebP")) }
            guard file.body.count <= 20 * 1024 * 1024 else { return .failure(Problem(status: 413, message: "an uploaded image is larger than 20 MiB", code: "request_body_too_large")) }
        }
        let taskType = taskType ?? (hasImage ? "image2image" : "text2image")
        switch taskType {
        case "text2image" where hasImage: return .failure(Problem(message: "task_type text2image does not take a reference image"))
        case "image2image" where !hasImage: return .failure(Problem(message: "task_type image2image requires image, images or an uploaded image file"))
        case "text2image", "image2image": break
        default: return .failure(Problem(message: "task_type must be text2image or image2image"))
        }
        if nText != nil && n == nil { return .failure(Problem(message: "n must be an integer")) }
        let count = n ?? 1
        guard (1...8).contains(count) else { return .failure(Problem(message: "n must be between 1 and 8")) }
        if let rf = responseFormat, rf != "url" { return .failure(Problem(message: "response_format must be url")) }
        let format = outputFormat ?? "png"
        guard let of = OutputFormat(rawValue: format), m.outputFormats.contains(of) else {
            return .failure(Problem(message: "output_format \(format) is not supported by \(m.id)"))
        }
        var aspect = 1.0
        if m.takesSize {
            guard let size else { return .failure(Problem(message: "size is required for gpt-image-2")) }
            guard let s = Catalog.size(named: size), s.name == size else { return .failure(Problem(message: "size \(size) is not supported by gpt-image-2")) }
            if aspectRatio != nil { return .failure(Problem(message: "gpt-image-2 does not support aspect_ratio; use size")) }
            if let q = quality, Quality(rawValue: q) == nil { return .failure(Problem(message: "quality must be low, medium or high")) }
            aspect = s.aspect
        } else {
            if size != nil { return .failure(Problem(message: "\(m.id) does not take size; the model name sets the tier")) }
            if quality != nil { return .failure(Problem(message: "\(m.id) does not take quality; the model name sets the tier")) }
            if let a = aspectRatio {
                guard let r = AspectRatio(rawValue: a) else { return .failure(Problem(message: "aspect_ratio \(a) is not supported")) }
                aspect = r.value
            }
        }
        return .success(Checked(model: model, prompt: prompt, taskType: taskType, n: count, aspect: aspect, format: of,
                                uploads: files.map { SHA256.hex($0.body) }, imageURLs: imageURLs, firstUpload: files.first?.body))
    }
}
