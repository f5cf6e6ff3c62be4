import Foundation
import Synchronization

/// A fresh temporary folder for a test, removed when the value is released,
/// and in any case when the test process exits: a test that ends while work it
/// started still holds the folder (a download, a store, a task not awaited), or
/// the runner exiting before such a value is released, leaves nothing behind.
public final class TempDir: Sendable {
    public let url: URL

    /// A new folder named `<prefix>-<uuid>` in the system's temporary directory.
    public init(prefix: String = "darkroom-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TempDirSweep.register(url.path)
    }

    // Still swept at exit: work a finished test left running may make the folder again.
    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes bytes to a file in the folder and returns its path.
    @discardableResult
    public func file(_ name: String, _ bytes: [UInt8], mode: Int = 0o600) -> String {
        let p = url.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: p.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p.path, contents: Data(bytes), attributes: [.posixPermissions: mode])
        return p.path
    }
}

/// Every `TempDir` folder this process made; those still there are removed at exit.
enum TempDirSweep {
    private static let made = Mutex<Set<String>>([])
    private static let installed: Void = {
        atexit {
            for path in TempDirSweep.made.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }()

    static func register(_ path: String) {
        _ = installed
        made.withLock { _ = $0.insert(path) }
    }
}
