import Foundation

/// A fresh temporary folder per test, removed when the value is released.
public final class TempDir: Sendable {
    public let url: URL
    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
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
