import DarkroomCore

/// The JSON object the CLI prints for a task (`--json`): stable keys for scripts.
enum TaskJSON {
    static func object(_ t: ImageTask, request: ValidRequest? = nil) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("task_id", .string(t.id)),
            ("status", .string(t.status.name)),
            ("raw_status", .string(t.rawStatus)),
            ("progress", t.progress.map { .int($0) } ?? .null),
            ("result_urls", .array(t.resultURLs.map { .string($0) })),
            ("result_count", t.resultCount.map { .int($0) } ?? .null),
            ("error", t.errorMessage.map { .string($0) } ?? .null),
        ]
        if let r = request { m.append(("request", RequestEncoder.jsonObject(r))) }
        return .object(m)
    }
}
