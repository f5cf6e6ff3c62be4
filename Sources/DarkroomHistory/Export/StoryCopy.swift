import DarkroomCore
import Foundation

/// A copy of a saved picture that leaves the history (`export`, `download --to`),
/// with its story written inside (`MetadataWriter`). The original is only read.
/// A picture the writer cannot add to (a damaged file) is copied as it is: the
/// copy is never lost for want of its metadata.
public enum StoryCopy {
    /// Copies `source` to `target` with the story of picture `index` of `record`.
    /// Returns false when the story could not be written in (the plain copy was made).
    @discardableResult
    public static func copy(_ source: String, to target: URL, record: TaskRecord, index: Int) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: source])
        }
        let bytes = Array(data)
        let story = PictureStory(record, index: index)
        let out: [UInt8]
        let embedded: Bool
        do {
            out = try MetadataWriter.embed(story, into: bytes)
            embedded = true
        } catch {
            out = bytes
            embedded = false
        }
        // Written in place, as a copy is (FileManager's createFile writes a temporary file and renames it: twice the work).
        let fd = open(target.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        if let error = out.withUnsafeBytes({ AtomicFile.writeAll($0, to: fd) }) { throw POSIXError(POSIXErrorCode(rawValue: error) ?? .EIO) }
        return embedded
    }
}
