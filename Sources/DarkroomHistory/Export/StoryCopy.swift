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
        guard FileManager.default.createFile(atPath: target.path, contents: Data(out)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
        return embedded
    }
}
