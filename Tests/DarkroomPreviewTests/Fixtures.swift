import DarkroomPreview
import DarkroomSimulator
import DarkroomTestSupport
import Foundation

/// Small images made here, never downloaded: a PNG from the simulator's own
/// encoder, and JPEG and WebP from the system encoders.
enum Fixtures {
    /// 8x8: red top-left, green top-right, blue bottom-left, white bottom-right.
    static let quadrants = Bitmap(width: 8, height: 8) { x, y in
        switch (x < 4, y < 4) {
        case (true, true): return (RGB(255, 0, 0), 255)
        case (false, true): return (RGB(0, 255, 0), 255)
        case (true, false): return (RGB(0, 0, 255), 255)
        case (false, false): return (RGB(255, 255, 255), 255)
        }
    }

    static func png(_ b: Bitmap) -> Data {
        var rgb: [UInt8] = []
        for i in stride(from: 0, to: b.rgba.count, by: 4) { rgb += b.rgba[i..<(i + 3)] }
        return Data(ImageEncoder.png(width: b.width, height: b.height, rgb: rgb) ?? [])
    }

    /// Where `file` writes: one folder for the test process, removed when it exits.
    private static let folder = TempDir(prefix: "darkroom-preview")

    /// Writes `data` as `name` in a folder of its own and returns the path.
    static func file(_ data: Data, _ name: String) throws -> String {
        let dir = folder.url.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
