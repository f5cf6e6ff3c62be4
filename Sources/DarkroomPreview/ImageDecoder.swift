import CImageCodecs
import DarkroomCore
import Foundation

/// Why an image cannot be previewed. The message is for the user.
public struct PreviewFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Decodes PNG, JPEG and WebP with the system libraries (libpng, libjpeg-turbo,
/// libwebp). The format is recognised by its bytes, never by the file name.
/// Corrupt or truncated data gives a `PreviewFailure`, never a crash.
public enum ImageDecoder {
    /// Images of more pixels than this are refused before decoding (64 Mpx, about
    /// 256 MiB of RGBA; the API's largest size is 4096x4096 = 16.8 Mpx).
    public static let maxPixels = 64 << 20

    public static func decode(_ data: Data) throws(PreviewFailure) -> Bitmap {
        guard let format = ImageSniffer.format(of: data.prefix(12)) else {
            throw PreviewFailure(data.isEmpty ? "the file is empty" : "not a PNG, JPEG or WebP image")
        }
        var img = dr_image()
        let rc: Int32 = data.withUnsafeBytes { raw in
            let p = raw.bindMemory(to: UInt8.self).baseAddress
            switch format {
            case .png: return dr_decode_png(p, raw.count, maxPixels, &img)
            case .jpeg: return dr_decode_jpeg(p, raw.count, maxPixels, &img)
            case .webp: return dr_decode_webp(p, raw.count, maxPixels, &img)
            }
        }
        defer { dr_image_free(&img) }
        guard rc == 0, let px = img.rgba else {
            let why = withUnsafeBytes(of: img.error) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw PreviewFailure("cannot decode the \(format.rawValue.uppercased()): \(why.isEmpty ? "unknown error" : why)")
        }
        let count = Int(img.width) * Int(img.height) * 4
        return Bitmap(width: Int(img.width), height: Int(img.height), rgba: Array(UnsafeBufferPointer(start: px, count: count)))
    }

    public static func decode(file path: String) throws(PreviewFailure) -> Bitmap {
        guard FileManager.default.fileExists(atPath: path) else { throw PreviewFailure("the file is gone: \(path)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw PreviewFailure("cannot read \(path)") }
        return try decode(data)
    }
}
