import DarkroomCore
import Foundation
import GRDB

/// A run as the history keeps it: the requests of one submit with several
/// values, or one batch.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var createdAt: Date
    /// What made it: the command's prompt and choices, or the batch file.
    public var expression: String
    /// The things that vary, each with its values.
    public var axes: [(name: String, values: [String])]
    /// How many requests it had.
    public var size: Int

    public static func == (a: RunRecord, b: RunRecord) -> Bool {
        a.id == b.id && a.createdAt == b.createdAt && a.expression == b.expression && a.size == b.size
            && a.axes.map(\.name) == b.axes.map(\.name) && a.axes.map(\.values) == b.axes.map(\.values)
    }
}

extension HistoryStore {
    /// Records a run before its first request is sent; its tasks name it.
    public func createRun(expression: String, axes: [(name: String, values: [String])], size: Int) async throws -> Int64 {
        let json = JSONValue.array(axes.map { .object([("name", .string($0.name)), ("values", .array($0.values.map(JSONValue.string)))]) }).serialized()
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(sql: "INSERT INTO run (created_at, expression, axes_json, size) VALUES (?, ?, ?, ?)", arguments: [t, expression, json, size])
            return db.lastInsertedRowID
        }
    }

    /// A run, or nil when there is none with this id.
    public func run(_ id: Int64) async throws -> RunRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return nil }
            let axes = ((try? JSONParser.parse(row["axes_json"] as String))?.arrayValue ?? []).compactMap { a -> (String, [String])? in
                guard let name = a["name"]?.stringValue else { return nil }
                return (name, a["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            }
            return RunRecord(id: row["id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), expression: row["expression"],
                             axes: axes, size: row["size"])
        }
    }
}
