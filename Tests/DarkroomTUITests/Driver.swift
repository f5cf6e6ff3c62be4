import DarkroomCore
import Foundation
@testable import DarkroomTUI

/// Drives the TUI core in memory: keys in, effects and screens out.
final class Driver {
    var state: AppState
    var effects: [Effect] = []
    static let now = Date(timeIntervalSince1970: 1_800_000_600)

    /// Whether to answer the effects a shell answers from the disk (opening
    /// reference files, listing folders) at once, with the real file system.
    var answersFiles = true

    init(width: Int = 120, height: Int = 40) {
        state = AppState(width: width, height: height, connectionLabel: "http://127.0.0.1:8080 · demo · sk-…0000")
        state.composer.home = "/home/test"
    }

    @discardableResult
    func press(_ keys: Key...) -> Driver {
        for k in keys { send(.key(k)) }
        return self
    }

    @discardableResult
    func type(_ text: String) -> Driver {
        for c in text { send(.key(.char(c))) }
        return self
    }

    @discardableResult
    func send(_ e: Event) -> Driver {
        var queue = [e]
        while !queue.isEmpty {
            let out = update(&state, queue.removeFirst())
            for effect in out {
                switch effect {
                case let .inspectReferences(paths, _) where answersFiles:
                    queue.append(.referencesInspected(Dictionary(uniqueKeysWithValues: paths.map { ($0, RequestValidator.inspectFile($0)) })))
                case let .listDirectory(q) where answersFiles:
                    queue.append(.directoryListed(q, DirectoryListing.entries(in: q.directory, prefix: q.prefix)))
                default:
                    effects.append(effect)
                }
            }
        }
        return self
    }

    var screen: String { AppView.render(state, now: Driver.now).screen.text }
}

enum Records {
    static func make(_ id: Int64, _ state: TaskState, prompt: String, model: String = "NanoBanana2-1K", progress: Int? = nil,
                     size: String? = nil, ratio: String? = "16:9", error: String? = nil, results: Int = 0) -> TaskRecord {
        let created = Date(timeIntervalSince1970: 1_800_000_000 + Double(id) * 10)
        var req = ImageRequest(model: model, prompt: prompt, size: size, aspectRatio: size == nil ? ratio : nil)
        if size != nil { req.quality = "medium" }
        let urls = (0..<results).map { "https://results.example/task_\(id)/\($0).png" }
        return TaskRecord(
            localID: id, taskID: "task_\(id)", profile: "demo", baseURL: "http://127.0.0.1:8080", request: req, state: state,
            rawStatus: state.rawValue, progress: progress, error: error, resultURLs: urls, createdAt: created,
            submittedAt: created, startedAt: state == .queued ? nil : created.addingTimeInterval(2),
            finishedAt: state.isFinal ? created.addingTimeInterval(14) : nil, updatedAt: created,
            results: urls.enumerated().map { i, u in
                ResultRecord(index: i, url: u, state: .saved,
                             file: SavedResult(path: "/data/results/task_\(id)/\(i).png", bytes: 48_000, format: .png, width: 384, height: 216, sha256: "ab"),
                             attempts: 1, error: nil)
            },
            events: [TaskEvent(state: .intent, progress: nil, at: created), TaskEvent(state: .queued, progress: 0, at: created.addingTimeInterval(0.4))]
                + (state == .queued ? [] : [TaskEvent(state: .processing, progress: 30, at: created.addingTimeInterval(2))])
                + (state.isFinal ? [TaskEvent(state: state, progress: 100, at: created.addingTimeInterval(14))] : []))
    }

    static let sample: [TaskRecord] = [
        make(6, .queued, prompt: "a koi pond in spring, watercolor", progress: 0),
        make(5, .processing, prompt: "a lighthouse at dusk, oil painting", model: "gpt-image-2", progress: 45, size: "1536x1024"),
        make(4, .succeeded, prompt: "一只猫 on a roof at night 🎨", progress: 100, results: 2),
        make(3, .failed, prompt: "[fail] a forbidden thing", model: "NanoBananaPro-4K", progress: 60,
             error: "the prompt was rejected by the content policy"),
        make(2, .submitUnknown, prompt: "killed mid-submit", model: "gpt-image-2", size: "1024x1024"),
        make(1, .succeeded, prompt: "a paper crane\nsecond line", model: "NanoBanana", progress: 100, ratio: "1:1", results: 1),
    ]
}

extension HistoryQuery {
    /// The query as the task list asks it: hidden tasks left out.
    static func listed(_ q: HistoryQuery) -> HistoryQuery {
        var q = q
        q.hidden = .shown
        return q
    }
}
