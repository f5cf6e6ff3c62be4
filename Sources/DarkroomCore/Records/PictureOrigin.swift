import Foundation

/// One picture a request was made from (a remix): which task, which of its
/// pictures, and the SHA-256 of the bytes sent. The hash names what was sent
/// even after the parent's row or file is gone.
public struct PictureOrigin: Sendable, Equatable, Hashable, Codable {
    /// The parent's local id (`#12`) in this history.
    public var localID: Int64
    /// The parent's server task id, when it had one.
    public var taskID: String?
    /// Which of the parent's pictures (0 is the first).
    public var index: Int
    /// SHA-256 of the bytes sent, lower-case hex.
    public var sha256: String
    /// The reference it is sent as (the saved file's path, or a re-encoded copy's):
    /// its bytes are hashed again each time the request is sent.
    public var path: String?

    public init(localID: Int64, taskID: String?, index: Int, sha256: String, path: String? = nil) {
        self.localID = localID
        self.taskID = taskID
        self.index = index
        self.sha256 = sha256
        self.path = path
    }

    /// "#12 (picture 2)", as the detail and `show` say it (pictures counted from 1).
    public var label: String { "#\(localID) (picture \(index + 1))" }

    /// `#12:1` as `--from` takes it (pictures counted from 0).
    public var reference: String { "#\(localID):\(index)" }

    static func from(json v: JSONValue) -> PictureOrigin? {
        guard let id = v["localID"]?.intValue, let index = v["index"]?.intValue, let sha = v["sha256"]?.stringValue else { return nil }
        return PictureOrigin(localID: Int64(id), taskID: v["taskID"]?.stringValue, index: index, sha256: sha, path: v["path"]?.stringValue)
    }
}

extension ImageRequest {
    /// The request with each origin's hash taken again from the file it is sent
    /// as: what the history records is what was sent, even when the file changed
    /// since (a rerun of a remix). Origins without a readable file keep theirs.
    public func hashingOrigins() -> ImageRequest {
        guard !origins.isEmpty else { return self }
        var r = self
        for i in r.origins.indices {
            guard let path = r.origins[i].path, references.contains(path), let data = FileManager.default.contents(atPath: path) else { continue }
            r.origins[i].sha256 = SHA256.hex(Array(data))
        }
        return r
    }
}
