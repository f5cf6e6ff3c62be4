import DarkroomCore
import DarkroomTestSupport
import Foundation
@testable import DarkroomHistory
@testable import DarkroomStudio

/// A history test's folder (removed after the test, or at exit at the latest).
typealias TempFolder = TempDir

extension TempDir {
    var dbPath: String { url.appendingPathComponent("data/history.sqlite").path }
}

extension HistoryStore {
    /// Writes an intent and the server's first answer, as a submit does.
    @discardableResult
    func addSubmitted(_ prompt: String, model: String = "NanoBanana", id: String, status: TaskStatus = .queued,
                      profile: String = "default", endpoint: Endpoint = "http://127.0.0.1:1") async throws -> TaskRecord {
        let req = model == "gpt-image-2" ? ImageRequest(model: model, prompt: prompt, size: "1024x1024") : ImageRequest(model: model, prompt: prompt)
        let valid = try RequestValidator.validate(req).get()
        let local = try await recordIntent(req, valid: valid, profile: profile, endpoint: endpoint)
        return try await recordSubmitted(localID: local, task: ImageTask(id: id, status: status, progress: 0))!
    }

    /// `apply` on the endpoint `addSubmitted` uses by default.
    @discardableResult
    func apply(_ task: ImageTask) async throws -> TaskRecord? {
        try await apply(task, endpoint: "http://127.0.0.1:1")
    }
}
