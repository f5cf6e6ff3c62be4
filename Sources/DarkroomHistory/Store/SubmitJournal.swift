import DarkroomCore
import Foundation

/// The last resort for a task id the history could not take.
///
/// Once a server has answered a submit with an id, the task exists (and may be
/// billed): the id must reach durable storage or the user. When writing it into
/// the history fails (locked past its timeout, disk full, file damaged), the
/// Studio appends it here, a small JSON-lines file beside the history, with
/// fsync; the next Studio to start moves every entry into the history and
/// empties the file. If even this append fails, the id is in the error the
/// user sees (`StudioError.recordFailed`), and nowhere else.
public struct SubmitJournal: Sendable {
    public struct Entry: Sendable, Equatable {
        public var localID: Int64
        public var endpoint: Endpoint
        public var profile: String
        public var taskID: String
        public var status: String
        public var at: Date

        public init(localID: Int64, endpoint: Endpoint, profile: String, taskID: String, status: String, at: Date) {
            self.localID = localID
            self.endpoint = endpoint
            self.profile = profile
            self.taskID = taskID
            self.status = status
            self.at = at
        }
    }

    /// `<data>/submitted-ids.jsonl`.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends one entry durably (write, then fsync). Throws when it could not.
    public func append(_ e: Entry) throws {
        let line = JSONValue.object([
            ("local_id", .int(Int(e.localID))), ("base_url", .string(e.endpoint.text)), ("profile", .string(e.profile)),
            ("task_id", .string(e.taskID)), ("status", .string(e.status)), ("at", .double(e.at.timeIntervalSince1970)),
        ]).serialized() + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            // A partial line would be skipped on reading; say the append failed.
            throw JournalError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        guard fsync(fd) == 0 else { throw JournalError(description: "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Every whole entry in the file (a torn last line is skipped).
    public func entries() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let j = try? JSONParser.parse(Array(line)),
                  let local = j["local_id"]?.intValue, let base = j["base_url"]?.stringValue,
                  let id = j["task_id"]?.stringValue, !id.isEmpty else { return nil }
            let at = j["at"]?.doubleValue ?? 0
            return Entry(localID: Int64(local), endpoint: Endpoint(base), profile: j["profile"]?.stringValue ?? "default", taskID: id,
                         status: j["status"]?.stringValue ?? "queued", at: Date(timeIntervalSince1970: at))
        }
    }

    /// Removes the file once its entries are in the history.
    public func clear() throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}

public struct JournalError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension HistoryStore {
    /// Moves the journal's task ids into the history: an intent that never got
    /// its id gets it now; an id with no row at all is adopted. Returns the
    /// records it touched. The journal is emptied only when every entry is in.
    @discardableResult
    public func replayJournal() async throws -> [TaskRecord] {
        let entries = journal.entries()
        guard !entries.isEmpty else { return [] }
        var touched: [TaskRecord] = []
        for e in entries {
            let task = ImageTask(id: e.taskID, status: TaskStatus(raw: e.status))
            // The intent first: an older task may hold the same id (a server that
            // handed it out again), and must not be taken for this one.
            if let r = try await record(localID: e.localID), r.taskID == nil, r.endpoint == e.endpoint {
                if let updated = try await recordSubmitted(localID: e.localID, task: task) { touched.append(updated) }
            } else if let known = try await record(taskID: e.taskID, endpoint: e.endpoint) {
                touched.append(known)
            } else if let adopted = try await adopt(taskID: e.taskID, profile: e.profile, endpoint: e.endpoint) {
                touched.append(adopted)
            }
        }
        try journal.clear()
        return touched
    }
}
