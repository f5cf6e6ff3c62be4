import DarkroomCore
import DarkroomHistory
import DarkroomPreview
import Foundation

/// `--from TASK[:INDEX]`: a picture of a past task as the next request's
/// reference. The saved file is what is sent (uploaded as multipart: it is what
/// the user saw, and it never expires); the result's link only when there is no
/// saved file and the link is not known to be expired.
enum RemixSource {
    struct Picked {
        var reference: String
        var origin: PictureOrigin
        var parent: TaskRecord
    }

    /// Splits `#12:1` into the task and the picture (0 when no `:INDEX` is given).
    static func split(_ ref: String) -> (task: String, index: Int)? {
        let t = ref.trimmingCharacters(in: .whitespaces)
        guard let colon = t.lastIndex(of: ":") else { return (t, 0) }
        let digits = t[t.index(after: colon)...]
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let i = Int(digits) { return (String(t[..<colon]), i) }
        // `#12:x` is a bad picture number; a server's id may hold a colon of its own.
        return t.hasPrefix("#") ? nil : (t, 0)
    }

    static func pick(_ ref: String, in store: HistoryStore, ctx: CLIContext) async throws(CLIFailure) -> Picked {
        guard let (taskRef, index) = split(ref) else {
            throw CLIFailure(.invalidInput, "--from \(TerminalSanitizer.clean(ref)): after the colon comes the picture's number, from 0 (#12:1 is the second picture of #12)")
        }
        let parent = try await StudioSession.find(taskRef, in: store)
        guard let result = parent.results.first(where: { $0.index == index }) else {
            let count = parent.results.count
            throw CLIFailure(.invalidInput, "--from \(TerminalSanitizer.clean(ref)): #\(parent.localID) has no picture \(index)"
                             + (count == 0 ? " (it has none: \(parent.state.label))" : " (it has \(count): 0 to \(count - 1))"))
        }
        if let file = result.file, let bytes = FileManager.default.contents(atPath: file.path) {
            var path = file.path
            var sent = Array(bytes)
            if sent.count > RequestValidator.maxReferenceBytes {
                (path, sent) = try reencode(sent, name: "\(parent.localID)-\(index)", ctx: ctx)
            }
            let origin = PictureOrigin(localID: parent.localID, taskID: parent.taskID, index: index, sha256: SHA256.hex(sent), path: path)
            return Picked(reference: path, origin: origin, parent: parent)
        }
        let link = result.url.lowercased()
        guard result.state != .expired, link.hasPrefix("https://") || link.hasPrefix("http://") else {
            let why = result.file.map { "is no longer at \($0.path)" } ?? "has no saved file"
            throw CLIFailure(.invalidInput, "--from \(TerminalSanitizer.clean(ref)): picture \(index) of #\(parent.localID) \(why), and its link has expired; nothing was sent")
        }
        // No file: the server fetches the link; the hash is the one recorded when it was saved, if ever.
        let origin = PictureOrigin(localID: parent.localID, taskID: parent.taskID, index: index, sha256: result.file?.sha256 ?? "")
        return Picked(reference: result.url, origin: origin, parent: parent)
    }

    /// A picture over the upload limit (20 MiB), re-encoded rather than refused
    /// (`PictureShrinker`), kept in the cache folder; said on stderr.
    static func reencode(_ bytes: [UInt8], name: String, ctx: CLIContext) throws(CLIFailure) -> (String, [UInt8]) {
        let shrunk: PictureShrinker.Shrunk
        switch PictureShrinker.fit(bytes) {
        case let .success(s): shrunk = s
        case let .failure(e):
            throw CLIFailure(.invalidInput, "the picture is \(ByteCount.text(bytes.count)), over the 20 MiB upload limit, and cannot be re-encoded: \(e)")
        }
        let target: URL
        do { target = try PictureShrinker.keep(shrunk, name: name, cacheDirectory: DarkroomPaths(environment: ctx.environment).cacheDirectory) } catch {
            throw CLIFailure(.cannotCreate, "cannot write the re-encoded picture: \(error)")
        }
        ctx.console.warning("the picture is \(ByteCount.text(bytes.count)), over the 20 MiB upload limit: \(shrunk.how), and that is what is sent (\(target.path))")
        return (target.path, shrunk.bytes)
    }
}
