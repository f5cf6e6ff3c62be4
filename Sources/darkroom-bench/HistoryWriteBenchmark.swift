import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation
import GRDB

/// What one change from the server costs in the history alone: `apply` on a
/// real SQLite file, one change after another, CPU per change.
enum HistoryWriteBenchmark {
    static let bareUpdate = "UPDATE task SET progress = ?, updated_at = ? WHERE task_id = ?"

    static func run(folder: URL, changes: Int) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try HistoryStore(path: folder.appendingPathComponent("writes.sqlite").path)
        let base: Endpoint = "http://127.0.0.1:9/"
        let ids = (0..<60).map { String(format: "task_%06d", $0) }
        for id in ids { try await store.adopt(taskID: id, profile: "bench", endpoint: base) }
        var progress = [Int](repeating: 0, count: ids.count)
        func change(_ i: Int) -> ImageTask {
            progress[i % ids.count] += 1
            return ImageTask(id: ids[i % ids.count], status: .processing, progress: progress[i % ids.count] % 100)
        }
        for i in 0..<200 { _ = try await store.apply(change(i), endpoint: base) }
        let cpu0 = cpuSeconds(), sw0 = threadSwitches()
        for i in 0..<changes { _ = try await store.apply(change(i), endpoint: base) }
        let perApply = (cpuSeconds() - cpu0) * 1000 / Double(changes)
        let swApply = Double(threadSwitches() - sw0) / Double(changes)
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(path: store.path, configuration: config)
        let cpu1 = cpuSeconds(), sw1 = threadSwitches()
        for i in 0..<changes {
            let t = change(i)
            try await pool.write { db in
                try db.cachedStatement(sql: bareUpdate).execute(arguments: [t.progress, Double(i), t.id])
            }
        }
        let perBare = (cpuSeconds() - cpu1) * 1000 / Double(changes)
        let swBare = Double(threadSwitches() - sw1) / Double(changes)
        let cpu2 = cpuSeconds()
        try blockingWrites(pool, changes: changes, ids: ids)
        let perSync = (cpuSeconds() - cpu2) * 1000 / Double(changes)
        report("HistoryStore.apply (write + record read back), CPU per change", perApply, unit: "ms", target: "-")
        report("  thread switches per change", swApply, unit: "", target: "-")
        report("a bare UPDATE in an async write, CPU per change", perBare, unit: "ms", target: "-")
        report("  thread switches per change", swBare, unit: "", target: "-")
        report("a bare UPDATE in a blocking write, CPU per change", perSync, unit: "ms", target: "-")
    }

    static func blockingWrites(_ pool: DatabasePool, changes: Int, ids: [String]) throws {
        for i in 0..<changes {
            try pool.write { db in
                try db.cachedStatement(sql: bareUpdate).execute(arguments: [i % 100, Double(i), ids[i % ids.count]])
            }
        }
    }
}
