import DarkroomCore
import Foundation
import GRDB

/// A task made from a picture of another: the child, and which picture.
public struct LineageChild: Sendable, Equatable {
    public var localID: Int64
    /// Which of the parent's pictures it was made from (0 is the first).
    public var picture: Int
}

/// One task in a family tree, with the tasks made from its pictures.
public struct LineageNode: Sendable, Equatable {
    public var localID: Int64
    /// Which picture of the parent this task came from (nil for the root).
    public var picture: Int?
    public var children: [LineageNode]
}

extension HistoryStore {
    /// Records where a new task's pictures came from (in the transaction that inserts it).
    static func insertOrigins(_ origins: [PictureOrigin], child: Int64, db: Database) throws {
        for (position, o) in origins.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO task_parent (child, position, parent, parent_task_id, picture, sha256) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [child, position, o.localID, o.taskID, o.index, o.sha256])
        }
    }

    /// The tasks made from pictures of `localID`, oldest first.
    public func children(of localID: Int64) async throws -> [LineageChild] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT child, picture FROM task_parent WHERE parent = ? ORDER BY child, position", arguments: [localID])
                .map { LineageChild(localID: $0["child"], picture: $0["picture"]) }
        }
    }

    /// `localID` and every task descended from it, as a tree (at most `limit`
    /// tasks; a task reached twice, by two of its pictures, is listed once).
    public func lineage(of localID: Int64, limit: Int = 1000) async throws -> LineageNode {
        var seen: Set<Int64> = [localID]
        var count = 1
        func grow(_ id: Int64, picture: Int?) async throws -> LineageNode {
            var node = LineageNode(localID: id, picture: picture, children: [])
            for c in try await children(of: id) where count < limit && seen.insert(c.localID).inserted {
                count += 1
                node.children.append(try await grow(c.localID, picture: c.picture))
            }
            return node
        }
        return try await grow(localID, picture: nil)
    }
}
