import DarkroomCore
import Foundation

/// Small copies of pictures on disk (`$XDG_CACHE_HOME/darkroom/thumbnails`),
/// so a gallery of a thousand pictures opened again decodes a thousand small
/// JPEGs, not a thousand 4K originals. A thumbnail is at most `longSide` pixels
/// on its long side, composited on the preview background; it is named by a
/// hash of the file's path and version (its checksum, or size and time when
/// unknown), so a re-downloaded file gets a new one. At most `maxFiles` are
/// kept: the oldest go first. A thumbnail that cannot be read or written is
/// simply made again: the cache never fails a preview.
public struct ThumbnailCache: Sendable {
    public let directory: URL
    /// Long side of a thumbnail (default 256 pixels).
    public let longSide: Int
    /// Thumbnails kept (default 4,000: about 60 MB).
    public let maxFiles: Int

    public init(directory: URL, longSide: Int = 256, maxFiles: Int = 4000) {
        self.directory = directory
        self.longSide = longSide
        self.maxFiles = maxFiles
    }

    /// Whether a preview of this key is small enough to be made from a thumbnail.
    public func serves(_ key: PreviewKey) -> Bool {
        let w = key.pixels.map { key.columns * $0.width } ?? key.columns
        let h = key.pixels.map { key.rows * $0.height } ?? key.rows * 2
        return w <= longSide && h <= longSide
    }

    func file(for key: PreviewKey) -> URL {
        var version = key.version ?? ""
        if version.isEmpty, let a = try? FileManager.default.attributesOfItem(atPath: key.path) {
            version = "\((a[.size] as? Int) ?? 0)-\((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        return directory.appendingPathComponent(SHA256.hex(Array("\(key.path)|\(version)|\(longSide)|v1".utf8)) + ".jpg")
    }

    /// The thumbnail of the key's file, if one was made.
    public func load(_ key: PreviewKey) -> Bitmap? {
        guard let data = FileManager.default.contents(atPath: file(for: key).path) else { return nil }
        return try? ImageDecoder.decode(data)
    }

    /// Makes and keeps the thumbnail of `bitmap` (the key's file, decoded); returns it.
    @discardableResult
    public func store(_ bitmap: Bitmap, for key: PreviewKey) -> Bitmap {
        let scale = min(1, Double(longSide) / Double(max(bitmap.width, bitmap.height)))
        let w = max(1, Int((Double(bitmap.width) * scale).rounded())), h = max(1, Int((Double(bitmap.height) * scale).rounded()))
        let pixels = BitmapScaler.resize(bitmap, width: w, height: h)
        var rgba = [UInt8]()
        rgba.reserveCapacity(w * h * 4)
        for p in pixels { rgba += [p.r, p.g, p.b, 255] }
        let thumb = Bitmap(width: w, height: h, rgba: rgba)
        if let jpeg = ImageEncoder.jpeg(thumb, quality: 90) {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? AtomicFile.write(Array(jpeg), to: file(for: key))
        }
        return thumb
    }

    /// Removes the oldest thumbnails past `maxFiles`.
    public func prune() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey]),
              names.count > maxFiles else { return }
        let dated = names.map { ($0, (try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast) }
        for (url, _) in dated.sorted(by: { $0.1 < $1.1 }).prefix(names.count - maxFiles) { try? fm.removeItem(at: url) }
    }
}
