import DarkroomCore
import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTerminal

/// The shell's side of a TUI remix over the upload limit: the picture re-encoded into the cache.
@Suite("Remixed pictures over the upload limit")
struct ShrinkTests {
    @Test("a 27 MB PNG is re-encoded under 20 MiB into the cache; a picture under the limit is left alone")
    func shrinks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-shrink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRandom(seed: 7)
        let big = try #require(ImageEncoder.png(width: 3000, height: 3000, rgb: (0..<(3000 * 3000 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
        let path = dir.appendingPathComponent("0.png").path
        try Data(big).write(to: URL(fileURLWithPath: path))
        let shrunk = try #require(TUIRunner<ContinuousClock>.shrink(path, cache: dir.appendingPathComponent("cache")))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: shrunk.path))
        #expect(bytes.count <= RequestValidator.maxReferenceBytes)
        #expect(shrunk.sha256 == SHA256.hex(Array(bytes)))
        #expect(shrunk.path.hasPrefix(dir.appendingPathComponent("cache/remix").path) && shrunk.how.hasPrefix("re-encoded as JPEG (quality 90"))
        let small = dir.appendingPathComponent("1.png").path
        try Data(try #require(ImageEncoder.png(width: 8, height: 8, rgb: [UInt8](repeating: 9, count: 192)))).write(to: URL(fileURLWithPath: small))
        #expect(TUIRunner<ContinuousClock>.shrink(small, cache: dir) == nil)
    }
}
