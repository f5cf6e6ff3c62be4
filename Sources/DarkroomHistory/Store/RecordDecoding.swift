import DarkroomCore
import Foundation
import GRDB

/// Turns rows into records.
enum RecordDecoding {
    static func record(_ row: Row) throws -> TaskRecord {
        let requestJSON: String = row["request_json"]
        var request = ImageRequest.fromStoredJSON(requestJSON)
            ?? (try? JSONDecoder().decode(ImageRequest.self, from: Data(requestJSON.utf8)))
            ?? ImageRequest(model: row["model"], prompt: row["prompt"])
        if request.model.isEmpty { request.model = row["model"] }
        let urls = (try? JSONParser.parse(row["result_urls_json"] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
        func date(_ column: String) -> Date? { (row[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
        var record = TaskRecord(
            localID: row["local_id"], taskID: row["task_id"], profile: row["profile"], baseURL: row["base_url"],
            request: request, state: TaskState(rawValue: row["state"]) ?? .unknown, rawStatus: row["raw_status"],
            progress: row["progress"], error: row["error"], resultURLs: urls,
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0), submittedAt: date("submitted_at"),
            startedAt: date("started_at"), finishedAt: date("finished_at"),
            updatedAt: date("updated_at") ?? Date(timeIntervalSince1970: 0), unwatchedAt: date("unwatched_at"), results: [], events: [])
        record.sentQuality = row["quality"]
        record.sentFormat = row["output_format"]
        record.submitFailure = (row["submit_failure"] as String?).flatMap(SubmitFailure.init(rawValue:))
        record.runID = row["run_id"]
        record.starredAt = date("starred_at")
        record.hiddenAt = date("hidden_at")
        // Present when read with `HistoryStore.taskColumns`.
        if let tags = row["tags"] as String? {
            record.tags = tags.split(separator: " ").map { TaskTag(stored: String($0)) }.sorted()
        }
        if let pictures = row["starred_pictures"] as String? {
            record.starredPictures = Set(pictures.split(separator: " ").compactMap { Int($0) })
        }
        return record
    }

    static func event(_ row: Row) -> TaskEvent {
        TaskEvent(state: TaskState(rawValue: row["state"]) ?? .unknown, progress: row["progress"], at: Date(timeIntervalSince1970: row["at"]))
    }

    static func result(_ row: Row) -> ResultRecord {
        // The file's columns are written together when it is saved (`recordDownload`).
        let file = (row["path"] as String?).map { path in
            SavedResult(path: path, bytes: row["bytes"] ?? 0, format: (row["format"] as String?).flatMap(OutputFormat.init(rawValue:)) ?? .png,
                        width: row["width"], height: row["height"], sha256: row["sha256"] ?? "")
        }
        return ResultRecord(index: row["idx"], url: row["url"], state: ResultState(rawValue: row["state"]) ?? .pending,
                            file: file, attempts: row["attempts"], error: row["error"])
    }
}
