import Foundation

/// A request body ready to send, with its content type.
public struct EncodedBody: Sendable, Equatable {
    public let contentType: String
    public let bytes: [UInt8]
}

/// Encodes a `ValidRequest` as the vendor's page shows it: a JSON body, or
/// multipart/form-data when reference images are local files.
public enum RequestEncoder {
    /// The request's fields in the page's order, as the values the page sends.
    ///
    /// `task_type`, `n`, `output_format` and `response_format` are always present;
    /// `size` and `quality` only for gpt-image-2 (quality defaults to `medium`);
    /// `aspect_ratio` only for NanoBanana models and only when chosen. URL
    /// references go in `image` (one) or `images` (several).
    public static func jsonObject(_ r: ValidRequest) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("model", .string(r.modelID)),
            ("task_type", .string(r.taskType.rawValue)),
            ("prompt", .string(r.prompt)),
        ]
        if case let .urls(urls) = r.references {
            if urls.count == 1 { members.append(("image", .string(urls[0]))) } else if urls.count > 1 {
                members.append(("images", .array(urls.map { .string($0) })))
            }
        }
        for (k, v) in scalarFields(r) { members.append((k, v)) }
        return .object(members)
    }

    /// The fields after `prompt` and the references, in page order.
    private static func scalarFields(_ r: ValidRequest) -> [(String, JSONValue)] {
        var f: [(String, JSONValue)] = []
        if let s = r.size?.name ?? r.rawSize { f.append(("size", .string(s))) }
        if let a = r.aspectRatio { f.append(("aspect_ratio", .string(a.rawValue))) }
        if let q = r.quality { f.append(("quality", .string(q.rawValue))) }
        f.append(("output_format", .string(r.outputFormat.rawValue)))
        f.append(("n", .int(r.n)))
        f.append(("response_format", .string("url")))
        return f
    }

    /// The JSON body as bytes (compact, keys in the page's order).
    public static func json(_ r: ValidRequest) -> EncodedBody {
        EncodedBody(contentType: "application/json", bytes: Array(jsonObject(r).serialized().utf8))
    }

    /// The body to send: JSON, or multipart when the references are local files.
    /// Reads the files; throws if one vanished or changed since validation.
    public static func body(_ r: ValidRequest, boundary: String = MultipartWriter.randomBoundary()) throws -> EncodedBody {
        guard case let .files(files) = r.references else { return json(r) }
        var writer = MultipartWriter(boundary: boundary)
        for (k, v) in textFields(r) { writer.addField(name: k, value: v) }
        for file in files {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file.path)) } catch {
                throw ReferenceFileError(path: file.path, reason: "could not be read: \(FileErrorText.describe(error))")
            }
            guard data.count <= RequestValidator.maxReferenceBytes, ImageSniffer.format(of: data.prefix(12)) != nil else {
                throw ReferenceFileError(path: file.path, reason: "changed since it was checked and is no longer a PNG, JPEG or WebP of at most 20 MiB")
            }
            writer.addFile(name: "image", fileName: file.fileName, contentType: file.format.mimeType, bytes: Array(data))
        }
        return EncodedBody(contentType: writer.contentType, bytes: writer.finish())
    }

    /// The text fields of a multipart request, in the order of the page's curl `-F` example.
    public static func textFields(_ r: ValidRequest) -> [(String, String)] {
        var f: [(String, String)] = [("model", r.modelID), ("task_type", r.taskType.rawValue), ("prompt", r.prompt)]
        for (k, v) in scalarFields(r) {
            switch v {
            case let .string(s): f.append((k, s))
            case let .int(i): f.append((k, String(i)))
            default: continue
            }
        }
        return f
    }
}

/// A local reference file that could not be sent.
public struct ReferenceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path) \(reason)" }
}
