import DarkroomCore
import Foundation

/// A picture over the API's upload limit made to fit, for a remix: JPEG at
/// quality 90, halved in size until it is at most `limit` bytes. The original
/// is only read.
public enum PictureShrinker {
    public struct Shrunk: Sendable {
        public let bytes: [UInt8]
        /// "re-encoded as JPEG (quality 90, 1920x1080 from 3840x2160), 2.1 MiB".
        public let how: String
    }

    /// The smaller picture, or a message saying why it could not be made.
    public static func fit(_ bytes: [UInt8], limit: Int = RequestValidator.maxReferenceBytes) -> Result<Shrunk, PreviewFailure> {
        let source: Bitmap
        do { source = try ImageDecoder.decode(Data(bytes)) } catch { return .failure(error) }
        var current = source
        for _ in 0..<6 {
            let out = ImageEncoder.jpeg(current, quality: 90).map { Array($0) } ?? []
            if !out.isEmpty, out.count <= limit {
                let scaled = current.width == source.width ? "" : ", \(current.width)x\(current.height) from \(source.width)x\(source.height)"
                return .success(Shrunk(bytes: out, how: "re-encoded as JPEG (quality 90\(scaled)), \(ByteCount.text(out.count))"))
            }
            let w = max(1, current.width / 2), h = max(1, current.height / 2)
            current = Bitmap(width: w, height: h, rgba: BitmapScaler.resize(current, width: w, height: h).flatMap { [$0.r, $0.g, $0.b, 255] })
        }
        return .failure(PreviewFailure("it could not be made smaller than \(ByteCount.text(limit))"))
    }

    /// Where shrunk copies are kept: `$XDG_CACHE_HOME/darkroom/remix/NAME-HASH.jpg` (written once).
    public static func keep(_ s: Shrunk, name: String, cacheDirectory: URL) throws -> URL {
        let folder = cacheDirectory.appendingPathComponent("remix", isDirectory: true)
        let target = folder.appendingPathComponent("\(name)-\(SHA256.hex(s.bytes).prefix(12)).jpg")
        _ = try AtomicFile.makeFolder(folder)
        if !FileManager.default.fileExists(atPath: target.path) { try AtomicFile.write(s.bytes, to: target) }
        return target
    }
}
