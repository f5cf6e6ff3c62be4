import DarkroomCore
import Foundation
import GRDB

/// Fills a history with plausible past tasks, for the demo's `--seed N` and the
/// benchmarks. Deterministic for a seed; one transaction, so 100,000 tasks take
/// seconds. Seeded tasks are finished (succeeded or failed) and have no files.
public enum HistorySeeder {
    static let subjects = ["a lighthouse", "a red fox", "an old tram", "a glass sphere", "a paper crane", "a mountain lake",
                           "a bowl of ramen", "a neon street", "a desert caravan", "一只猫", "a koi pond", "a cathedral",
                           "a robot gardener", "a violin", "a sailboat", "a treehouse", "a snow owl", "a jazz bar"]
    static let settings = ["at dusk", "in heavy fog", "under a starry sky", "on a clean white desk", "in the rain",
                           "at golden hour", "in spring", "seen from above", "in a studio", "at night"]
    static let styles = ["oil painting", "minimal product photo", "watercolor", "35mm film", "isometric render",
                         "ukiyo-e print", "pencil sketch", "soft daylight", "cinematic lighting", "pixel art"]

    /// Inserts `count` tasks spread over the `days` before `now`, oldest first.
    public static func seed(_ store: HistoryStore, count: Int, days: Double = 90, profile: String = "demo",
                            endpoint: Endpoint, seed: UInt64 = 1, now: Date = Date()) async throws {
        let start = now.timeIntervalSince1970 - days * 86_400
        let step = count > 0 ? days * 86_400 / Double(count) : 0
        let endpoint = endpoint.text
        try await store.pool.write { db in
            var rng = SeededRandom(seed: seed)
            let insert = try insertStatement(db)
            for i in 0..<count {
                let model = Catalog.models[Int(rng.next() % UInt64(Catalog.models.count))]
                let prompt = "\(pick(subjects, &rng)) \(pick(settings, &rng)), \(pick(styles, &rng))"
                let size = model.takesSize ? GPTImageSize.all[Int(rng.next() % 48)].name : nil
                let ratio = model.takesSize ? nil : AspectRatio.allCases[Int(rng.next() % 10)].rawValue
                let n = rng.next() % 5 == 0 ? 2 : 1
                let failed = rng.next() % 8 == 0
                let created = start + Double(i) * step
                let run = 5 + Double(rng.next() % 40)
                let request = ImageRequest(model: model.id, prompt: prompt, size: size, aspectRatio: ratio,
                                           quality: model.takesSize ? "medium" : nil, n: n)
                let id = String(format: "task_seed%08d%06x", i, Int(rng.next() % 0xFFFFFF))
                try insertFinished(insert, id: id, request: request, profile: profile, endpoint: endpoint, failed: failed,
                                   created: created, duration: run, run: nil)
            }
        }
    }

    /// The tags `curate` spreads.
    public static let tags = ["keeper", "portfolio", "client", "draft", "night", "film", "color-study", "reference", "print", "wip"]

    /// Marks seeded tasks as a user who curates would: each of `tags` on about 4%
    /// of the tasks (so about a third carry one), about 5% starred, 3% hidden. In
    /// one transaction, by id arithmetic (the same on every run).
    public static func curate(_ store: HistoryStore) async throws {
        try await store.pool.write { db in
            for (i, tag) in tags.enumerated() {
                try db.execute(sql: "INSERT OR IGNORE INTO task_tag (local_id, tag, added_at) SELECT local_id, ?, 0 FROM task WHERE (local_id * 7 + ?) % 23 = 0",
                               arguments: [tag, i * 13])
            }
            try db.execute(sql: "UPDATE task SET starred_at = 0 WHERE local_id % 19 = 0")
            try db.execute(sql: "UPDATE task SET hidden_at = 0 WHERE local_id % 31 = 0")
        }
    }

    /// Adds one run, newer than any seeded task: every prompt with every model
    /// (a NanoBanana 2 tier and gpt-image-2), all succeeded, so the demo's
    /// comparison grid (`c`) has something to show. Returns the run's id.
    @discardableResult
    public static func seedRun(_ store: HistoryStore, profile: String = "demo", endpoint: Endpoint, now: Date = Date()) async throws -> Int64 {
        let prompts = ["a red fox in fog, watercolor", "a red fox in snow, watercolor", "a red fox at dusk, watercolor"]
        let models = ["NanoBanana2-1K", "gpt-image-2"]
        let run = try await store.createRun(expression: "a red fox {in fog|in snow|at dusk}, watercolor · model: NanoBanana2-1K, gpt-image-2",
                                            axes: [("prompt", prompts), ("model", models)], size: prompts.count * models.count)
        let endpoint = endpoint.text
        try await store.pool.write { db in
            let insert = try insertStatement(db)
            var i = 0
            for prompt in prompts {
                for model in models {
                    let gpt = model == "gpt-image-2"
                    let request = ImageRequest(model: model, prompt: prompt, size: gpt ? "1536x1024" : nil, aspectRatio: gpt ? nil : "3:2",
                                               quality: gpt ? "medium" : nil)
                    try insertFinished(insert, id: String(format: "task_seedrun%04d", i), request: request, profile: profile, endpoint: endpoint,
                                       failed: false, created: now.timeIntervalSince1970 - 600 + Double(i) * 20, duration: 12 + Double(i * 3 % 11), run: run)
                    i += 1
                }
            }
        }
        return run
    }

    private static func insertStatement(_ db: Database) throws -> Statement {
        try db.makeStatement(sql: """
            INSERT INTO task (task_id, profile, base_url, model, prompt, task_type, size, aspect_ratio, quality, n, output_format,
                              request_json, state, raw_status, progress, error, result_urls_json, created_at, submitted_at,
                              started_at, finished_at, updated_at, run_id)
            VALUES (?, ?, ?, ?, ?, 'text2image', ?, ?, ?, ?, 'png', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// One finished task: succeeded with a result URL per image, or failed.
    private static func insertFinished(_ insert: Statement, id: String, request: ImageRequest, profile: String, endpoint: String,
                                       failed: Bool, created: Double, duration: Double, run: Int64?) throws {
        let json = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        let urls = failed ? "[]" : "[" + (0..<request.n).map { "\"https://results.invalid/\(id)/\($0).png\"" }.joined(separator: ",") + "]"
        try insert.execute(arguments: [
            id, profile, endpoint, request.model, request.prompt, request.size, request.aspectRatio, request.quality, request.n, json,
            failed ? "failed" : "succeeded", failed ? "FAILURE" : "succeeded", 100,
            failed ? "upstream generation failed (seeded example)" : nil, urls,
            created, created + 0.4, created + 2, created + duration, created + duration, run,
        ])
    }

    /// Gives the newest `limit` succeeded tasks of `profile` saved result files, made
    /// by `paint` (called with the task and the result's index; returns the file
    /// written, or nil to skip), so a seeded demo has images to preview.
    /// `attached` is called after each task, newest first, with its updated record.
    public static func attachFiles(_ store: HistoryStore, profile: String = "demo", limit: Int,
                                   paint: (TaskRecord, Int) throws -> SavedResult?,
                                   attached: (TaskRecord) -> Void = { _ in }) async throws {
        let tasks = try await store.search(HistoryQuery(states: [.succeeded], limit: limit)).filter { $0.profile == profile }
        for t in tasks {
            for (i, url) in t.resultURLs.enumerated() {
                guard let file = try paint(t, i) else { continue }
                try await store.pool.write { db in
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO result (local_id, idx, url, state, path, bytes, format, width, height, sha256, attempts, updated_at)
                        VALUES (?, ?, ?, 'saved', ?, ?, ?, ?, ?, ?, 1, ?)
                        """, arguments: [t.localID, i, url, file.path, file.bytes, file.format.rawValue, file.width, file.height, file.sha256,
                                         t.finishedAt?.timeIntervalSince1970 ?? t.createdAt.timeIntervalSince1970])
                }
            }
            if let r = try? await store.record(localID: t.localID) { attached(r) }
        }
    }

    private static func pick(_ list: [String], _ rng: inout SeededRandom) -> String { list[Int(rng.next() % UInt64(list.count))] }
}
