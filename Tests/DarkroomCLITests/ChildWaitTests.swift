import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// The test harness itself: waiting for the real binary must not starve the
/// simulator it talks to, which runs in the test process.
@Suite("Waiting for child processes")
struct ChildWaitTests {
    /// More children at once than Swift's task pool has threads, each sending a
    /// submit to a simulator in this process, each waited for by its own task.
    /// Waited for with `waitUntilExit()` they held every thread of the pool, the
    /// simulator could not answer, and each submit ran into its 60 s limit
    /// ("submission unknown", exit 75): the cause of the suite's rare timeouts
    /// in the tmux tests and in "a run sent from the CLI, compared in the TUI".
    @Test("children that talk to this process's simulator all finish, even more of them at once than the pool has threads")
    func moreChildrenThanThreads() async throws {
        let sim = try await SimulatorServer.start()
        defer { Task { await sim.stop() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-wait-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "XDG_DATA_HOME": home.path + "/data",
                   "XDG_STATE_HOME": home.path + "/state", "DARKROOM_BASE_URL": sim.baseURL.absoluteString,
                   "DARKROOM_API_KEY": "sk-wait-test-0001", "PATH": "/usr/bin:/bin"]
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<count {
                group.addTask {
                    let p = Process()
                    p.executableURL = ProcessTests.binary
                    p.arguments = ["submit", "--model", "NanoBanana", "--prompt", "child \(i)"]
                    p.environment = env
                    p.standardOutput = FileHandle.nullDevice
                    p.standardError = FileHandle.nullDevice
                    p.standardInput = FileHandle.nullDevice
                    try p.run()
                    return await p.exitStatus()
                }
            }
            var all: [Int32] = []
            for try await s in group { all.append(s) }
            return all
        }
        #expect(statuses == Array(repeating: 0, count: count))
    }
}
