import Foundation

/// One name in a folder, for path completion.
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool
    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// Lists a folder's names that start with a prefix, for completing reference
/// paths. Hidden names only when the prefix starts with a dot. Sorted by
/// name (byte order: the same in every locale), at most `limit`.
public enum DirectoryListing {
    public static func entries(in directory: String, prefix: String, limit: Int = 1000) -> [DirectoryEntry] {
        let dir = directory.isEmpty ? FileManager.default.currentDirectoryPath : directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        let showHidden = prefix.hasPrefix(".")
        let matching = names.filter { $0.hasPrefix(prefix) && (showHidden || !$0.hasPrefix(".")) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .prefix(limit)
        return matching.map { name in
            var isDir: ObjCBool = false
            let full = (dir as NSString).appendingPathComponent(name)
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
            return DirectoryEntry(name: name, isDirectory: isDir.boolValue)
        }
    }
}
