import Foundation

/// The `.N.*.part` files a download writes before its rename. A process killed
/// mid-download leaves them behind; they are removed when that result is next
/// saved, and at start when older than any download can last.
public enum PartFiles {
    /// Removes the part files of result `index` in `dir` (the caller holds its claim).
    public static func remove(in dir: URL, index: Int) {
        let prefix = ".\(index)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".part") {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    /// Removes part files under `results` last modified before `olderThan`;
    /// returns how many. Newer ones may belong to a download running elsewhere.
    @discardableResult
    public static func sweep(_ results: URL, olderThan: Date) -> Int {
        guard let walker = FileManager.default.enumerator(at: results, includingPropertiesForKeys: [.contentModificationDateKey]) else { return 0 }
        var removed = 0
        for case let url as URL in walker where url.lastPathComponent.hasPrefix(".") && url.lastPathComponent.hasSuffix(".part") {
            let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantFuture
            if modified < olderThan, (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}
