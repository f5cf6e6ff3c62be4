import DarkroomPreview
import Foundation
import Testing

/// Small copies on disk: a gallery opened again never decodes the originals.
@Suite("Thumbnail cache")
struct ThumbnailCacheTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("thumbs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("small previews (half blocks or pixels up to 256) come from thumbnails; large ones from the original")
    func serves() {
        let cache = ThumbnailCache(directory: URL(fileURLWithPath: "/nonexistent"))
        #expect(cache.serves(PreviewKey(path: "a", columns: 24, rows: 10)))
        #expect(cache.serves(PreviewKey(path: "a", columns: 24, rows: 12, pixels: CellPixels(width: 10, height: 20))))
        #expect(!cache.serves(PreviewKey(path: "a", columns: 60, rows: 30, pixels: CellPixels(width: 10, height: 20))))
        #expect(!cache.serves(PreviewKey(path: "a", columns: 300, rows: 10)))
    }

    @Test("a second worker shows a thumbnail without opening the original; a new version of the file makes a new one")
    func secondOpening() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = dir.appendingPathComponent("0.png")
        let big = Bitmap(width: 1024, height: 768) { x, y in (RGB(UInt8(x / 4), UInt8(y / 3), 40), 255) }
        try #require(ImageEncoder.png(big)).write(to: original)
        let cache = ThumbnailCache(directory: dir.appendingPathComponent("thumbnails"))
        let small = PreviewKey(path: original.path, version: "v1", columns: 20, rows: 8)
        let first = PreviewWorker(thumbnails: cache) { _, _ in }
        defer { first.stop() }
        guard case let .ready(a) = first.render(small) else { Issue.record("first render failed"); return }
        let made = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path)
        #expect(made.count == 1 && made[0].hasSuffix(".jpg"))
        // The thumbnail is at most 256 pixels on its long side.
        let thumb = try #require(cache.load(small))
        #expect(thumb.width == 256 && thumb.height == 192)
        // The original is now unreadable: a fresh worker still shows the thumbnail...
        try Data("not a picture".utf8).write(to: original)
        let second = PreviewWorker(thumbnails: cache) { _, _ in }
        defer { second.stop() }
        guard case let .ready(b) = second.render(small) else { Issue.record("the thumbnail was not used"); return }
        #expect(b.columns == a.columns && b.rows == a.rows)
        // ...while a large preview, or a new version of the file, goes to the file itself.
        guard case .failed = second.render(PreviewKey(path: original.path, version: "v1", columns: 300, rows: 80)) else {
            Issue.record("a large preview must decode the original"); return
        }
        guard case .failed = second.render(PreviewKey(path: original.path, version: "v2", columns: 20, rows: 8)) else {
            Issue.record("a new version must not use the old thumbnail"); return
        }
    }

    @Test("past maxFiles the oldest thumbnails go")
    func prune() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 0..<5 {
            let f = dir.appendingPathComponent("\(i).jpg")
            try Data([UInt8(i)]).write(to: f)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000 + i))], ofItemAtPath: f.path)
        }
        ThumbnailCache(directory: dir, maxFiles: 3).prune()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["2.jpg", "3.jpg", "4.jpg"])
    }
}
