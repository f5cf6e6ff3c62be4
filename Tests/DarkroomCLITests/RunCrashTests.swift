import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTestSupport
import Foundation
import Synchronization
import Testing

/// A run of six, its sender killed with SIGKILL while the second request waits
/// for an answer: the four not sent survive in history as paused, `darkroom
/// run resume` sends exactly those, and no request reaches the server twice.
@Suite("A run killed halfway", .serialized)
struct RunCrashTests {
    @Test("killed mid-run: unsent requests survive, are sent once on resume; the one in flight is 'submission unknown'")
    func killedMidRun() async throws {
        let posts = Mutex<[String]>([])
        let server = try ScriptedHTTPServer { r in
            guard r.method == "POST" else {
                return .respond(status: 200, headers: ["Content-Type": "application/json"],
                                body: Array(#"{"code":"success","message":"","data":{"task_id":"task_x","status":"queued","progress":"0%"}}"#.utf8))
            }
            let prompt = (try? JSONParser.parse(r.body))?["prompt"]?.stringValue ?? "?"
            let n = posts.withLock { $0.append(prompt); return $0.count }
            // The second request never gets its answer: its sender dies waiting.
            if n == 2 { return .stall }
            return .respond(status: 200, headers: ["Content-Type": "application/json"],
                            body: Array(#"{"task_id":"task_\#(n)","status":"queued","progress":"0%"}"#.utf8))
        }
        defer { server.stop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-runcrash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let configDir = home.appendingPathComponent("config/darkroom")
        try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
        let configFile = configDir.appendingPathComponent("config.toml").path
        FileManager.default.createFile(atPath: configFile, contents: Data("max_concurrent_submits = 1\n".utf8), attributes: [.posixPermissions: 0o600])
        let env = ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "XDG_DATA_HOME": home.path + "/data",
                   "XDG_STATE_HOME": home.path + "/state", "DARKROOM_BASE_URL": server.baseURL.absoluteString,
                   "DARKROOM_API_KEY": "sk-runcrash-test-0001", "PATH": "/usr/bin:/bin"]

        let sender = try ProcessTests.Child(["submit", "--model", "NanoBanana", "--prompt", "a {red|blue|green} fox in {fog|snow}",
                                             "--yes"], env: env)
        try await ProcessTests().eventually(within: 30, "the second POST") { posts.withLock { $0.count } == 2 }
        sender.kill()

        let store = try HistoryStore(path: home.path + "/data/darkroom/history.sqlite")
        let before = try await store.searchAll(HistoryQuery())
        #expect(before.count == 6, "the whole run was recorded before the first was sent")
        #expect(before.map(\.state) == [.queued, .intent, .waiting, .waiting, .waiting, .waiting])

        let resume = try ProcessTests.Child(["run", "resume", "1"], env: env)
        let status = try await resume.finish(within: 60)
        let said = resume.text
        #expect(status == 0, "\(said)")
        #expect(said.contains("may or may not"), "\(said)")
        #expect(said.contains("sending 4 paused requests"), "\(said)")

        let sent = posts.withLock { $0 }
        #expect(sent.count == 6, "each request reached the server once: \(sent)")
        #expect(Set(sent).count == 6, "no prompt twice: \(sent)")
        let after = try await store.searchAll(HistoryQuery())
        #expect(after.map(\.state) == [.queued, .submitUnknown, .queued, .queued, .queued, .queued])
        #expect(after.allSatisfy { $0.runID == 1 })
    }
}
