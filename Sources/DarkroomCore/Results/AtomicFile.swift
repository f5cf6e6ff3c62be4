import Foundation

/// Durable, atomic file replacement, as plain system calls: a file's bytes reach
/// the disk (fsync) before it is renamed over its target, and the folder is
/// synced after the rename, so a reader, or a machine that lost power, sees the
/// old file or the new one, never a part of either.
///
/// Part files are named `.<name>.<random>.part` beside their target (see
/// `PartFiles` for who removes the ones a killed process leaves).
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `bytes` to a part file beside `final`, syncs it and renames it over
    /// `final`. `syncingFolder` (default true) then syncs the folder; pass false
    /// only when the caller calls `syncFolder` itself after its last rename there.
    public static func write(_ bytes: [UInt8], to final: URL, syncingFolder: Bool = true) throws {
        let temp = partFile(for: final.lastPathComponent, in: final.deletingLastPathComponent())
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temp.path): \(String(cString: strerror(errno)))") }
        var failure: String?
        if let error = bytes.withUnsafeBytes({ writeAll($0, to: fd) }) { failure = "cannot write \(final.path): \(String(cString: strerror(error)))" }
        if failure == nil, fsync(fd) != 0 { failure = "cannot save \(final.path) to the disk: \(String(cString: strerror(errno)))" }
        close(fd)
        do {
            if let failure { throw Failure(description: failure) }
            try rename(temp, over: final)
        } catch {
            unlink(temp.path)
            throw error
        }
        if syncingFolder { syncFolder(final.deletingLastPathComponent()) }
    }

    /// Writes all of `bytes` to `fd` (again after a partial write or EINTR).
    /// Returns nil, or the errno of the write that failed (ENOSPC when the disk
    /// took nothing more).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            return n < 0 ? errno : ENOSPC
        }
        return nil
    }

    /// Renames `temp`, whose bytes the caller has synced, over `final`. The folder
    /// is not synced: call `syncFolder` after the last rename in it.
    public static func rename(_ temp: URL, over final: URL) throws {
        guard Foundation.rename(temp.path, final.path) == 0 else {
            throw Failure(description: "cannot rename to \(final.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Syncs a folder, so that the renames and removals made in it survive a crash.
    /// Best effort: a file system that cannot sync folders is not an error.
    public static func syncFolder(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// A fresh part-file path for `name` in `dir`: `.<name>.<random>.part`.
    public static func partFile(for name: String, in dir: URL) -> URL {
        dir.appendingPathComponent(".\(name).\(String(UInt64.random(in: .min ... .max), radix: 36)).part", isDirectory: false)
    }

    /// Creates the folder `dir`, and the folders above it when missing; true when
    /// `dir` is new (so nothing of an earlier process can be in it). Each new
    /// folder's name is synced in its parent, so the files later synced in it
    /// cannot be lost with it.
    public static func makeFolder(_ dir: URL) throws -> Bool {
        if mkdir(dir.path, 0o777) == 0 {
            syncFolder(dir.deletingLastPathComponent())
            return true
        }
        switch errno {
        case EEXIST:
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw Failure(description: "\(dir.path) exists and is not a folder")
            }
            return false
        case ENOENT where dir.path != "/":
            // The folder above is missing too: make it (and its own), then this one.
            _ = try makeFolder(dir.deletingLastPathComponent())
            return try makeFolder(dir)
        default:
            throw Failure(description: String(cString: strerror(errno)))
        }
    }
}
