import Foundation
import Testing

/// Compares a screen's text with `__Snapshots__/<name>.txt`. With
/// `DARKROOM_RECORD_SNAPSHOTS=1` in the environment it writes the file instead
/// (and the test fails, so a recording is never mistaken for a pass).
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = dir.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["DARKROOM_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name); run again without DARKROOM_RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(name); record it with DARKROOM_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(text + "\n" == expected, "screen differs from \(name).txt", sourceLocation: sourceLocation)
}
