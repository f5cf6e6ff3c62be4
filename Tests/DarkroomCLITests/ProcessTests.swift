import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// The real `darkroom` binary in child processes, killed on purpose, against
/// the simulator over loopback and a real history file.
@Suite("The real binary, killed halfway", .serialized)
struct ProcessTests {
    /// `darkroom`, built next to the test bundle by `swift build --build-tests`.
    /// The binary under test: the one built with the tests, or `DARKROOM_TEST_BINARY`
    /// (to show that a test fails on an older build).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["DARKROOM_TEST_BINARY"] { return URL(fileURLWithPath: path) }
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("darkroom")
    }

    final class Child: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        init(_ args: [String], env: [String: String]) throws {
            process.executableURL = ProcessTests.binary
            process.arguments = args
            process.environment = env
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        /// Waits for the child to exit on its own, within a deadline, and returns its status.
        func finish(within seconds: Double) async throws -> Int32 {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning {
                guard Date() < deadline else { kill(); throw TimedOut(what: "darkroom \(process.arguments ?? [])") }
                try await Task.sleep(for: .milliseconds(50))
            }
            return process.terminationStatus
        }
        var text: String { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
    }

    struct TimedOut: Error { let what: String }

    /// Checks `condition` every 50 ms until it holds or the deadline passes.
    func eventually(within seconds: Double, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try await !condition() {
            guard Date() < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func environment(_ home: URL, _ sim: SimulatorServer) -> [String: String] {
        ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "XDG_DATA_HOME": home.path + "/data",
         "XDG_STATE_HOME": home.path + "/state", "DARKROOM_BASE_URL": sim.baseURL.absoluteString,
         "DARKROOM_API_KEY": "sk-process-test-0001", "PATH": "/usr/bin:/bin"]
    }

    func tempHome() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-proc-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    @Test("the binary exists next to the tests")
    func binaryBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build it with `swift build --build-tests`")
    }

    @Test("an intent written before the submit survives the process being killed before the answer")
    func killedBetweenIntentAndAnswer() async throws {
        var config = SimulatorConfig()
        config.faults.slow = 1
        config.faults.slowDelay = .seconds(60)
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let child = try Child(["submit", "--model", "gpt-image-2", "--size", "1536x1024", "--prompt", "killed mid-submit"],
                              env: environment(home, sim))
        let store = try HistoryStore(path: home.path + "/data/darkroom/history.sqlite")
        try await eventually(within: 30, "the intent row") { try await store.count(HistoryQuery(states: [.intent])) == 1 }
        child.kill()
        let unknown = try await store.recoverOrphanedIntents()
        #expect(unknown.count == 1)
        #expect(unknown.first?.state == .submitUnknown)
        #expect(unknown.first?.request.prompt == "killed mid-submit")
        #expect(unknown.first?.request.size == "1536x1024")
        #expect(unknown.first?.taskID == nil)
    }

    @Test("50 tasks with faults on, the watcher killed halfway: a new watch finishes every one, none lost or doubled")
    func fiftyTasksSurviveAKill() async throws {
        var config = SimulatorConfig()
        config.speed = 20
        config.seed = 42
        config.faults = try FaultProfile.parse("server_error=0.1,rate_limit_retry_after=0.05,not_json=0.05,synonym_status=0.5,numeric_progress=0.5,extra_fields=0.3,comma_joined_results=0.5")
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let env = environment(home, sim)
        var refused = 0
        for i in 0..<50 {
            let prompt = i % 10 == 9 ? "[fail] task \(i)" : "task \(i)"
            // A submit refused by a 5xx or 429 created nothing; submit it again, as a user would.
            var status: Int32 = -1
            for _ in 0..<10 where status != 0 {
                status = try await Child(["submit", "--model", "NanoBanana", "--n", "\(1 + i % 2)", "--prompt", prompt, "--no-download"],
                                         env: env).finish(within: 60)
                if status != 0 { refused += 1 }
            }
            #expect(status == 0)
        }
        let store = try HistoryStore(path: home.path + "/data/darkroom/history.sqlite")
        // Submits that were not accepted are kept with no task id: refused (429, 4xx) or,
        // for a 5xx, "submission unknown" (the server may have created it).
        #expect(try await store.count(HistoryQuery(states: [.submitFailed, .submitUnknown])) == refused)
        #expect(try await store.count() == 50 + refused)
        let watcher = try Child(["watch"], env: env)
        try await eventually(within: 120, "some tasks finishing") {
            try await store.count(HistoryQuery(states: [.succeeded, .failed])) >= 10
        }
        watcher.kill()
        let afterKill = try await store.count(HistoryQuery(states: [.succeeded, .failed]))
        let status = try await Child(["watch"], env: env).finish(within: 300)
        #expect(status == 1) // five tasks fail on purpose
        let all = try await store.searchWithDetails(HistoryQuery(limit: 1000)).filter { $0.taskID != nil }
        #expect(all.count == 50)
        #expect(Set(all.compactMap(\.taskID)).count == 50)
        #expect(all.filter { $0.state == .failed }.count == 5)
        #expect(all.filter { $0.state == .succeeded }.count == 45)
        for r in all where r.state == .succeeded {
            #expect(r.results.count == r.request.n)
            for res in r.results {
                #expect(res.state == .saved, "#\(r.localID) result \(res.index): \(res.error ?? "")")
                #expect(res.file.map { FileManager.default.fileExists(atPath: $0.path) } == true)
            }
        }
        #expect(await sim.core.allTasks.count == 50)
        #expect(afterKill < 50)
    }

    @Test("two watchers on one task: the one that loses the download claim sees it end and exits like the winner")
    func twoWatchersOneTask() async throws {
        var config = SimulatorConfig()
        config.speed = 2
        config.fileDelay = .milliseconds(500)
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let env = environment(home, sim)
        #expect(try await Child(["submit", "--model", "NanoBanana", "--prompt", "one task, two watchers", "--no-download"], env: env).finish(within: 60) == 0)
        let watchers = try (0..<2).map { _ in try Child(["watch"], env: env) }
        var statuses: [Int32] = []
        for w in watchers { statuses.append(try await w.finish(within: 90)) }
        #expect(statuses == [0, 0], "\(watchers.map(\.text))")
        #expect(await sim.core.fileCount == 1, "the picture fetched once")
    }

    @Test("three watchers on ten tasks: each sees every task end, each picture saved once")
    func threeWatchers() async throws {
        var config = SimulatorConfig()
        config.speed = 20
        config.fileDelay = .milliseconds(400)
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let env = environment(home, sim)
        for i in 0..<10 {
            #expect(try await Child(["submit", "--model", "NanoBanana", "--prompt", "shared \(i)", "--no-download"], env: env).finish(within: 60) == 0)
        }
        let watchers = try (0..<3).map { _ in try Child(["watch"], env: env) }
        var statuses: [Int32] = []
        for w in watchers { statuses.append(try await w.finish(within: 120)) }
        #expect(statuses == [0, 0, 0], "\(watchers.map(\.text))")
        let store = try HistoryStore(path: home.path + "/data/darkroom/history.sqlite")
        let all = try await store.searchWithDetails(HistoryQuery(limit: 100))
        #expect(all.count == 10)
        #expect(all.allSatisfy { $0.state == .succeeded && $0.results.allSatisfy { $0.state == .saved } })
        #expect(await sim.core.fileCount == 10, "each picture fetched once")
    }

    /// Runs `darkroom ARGS` in a private mount namespace with a `size` tmpfs mounted on `dir`
    /// (a full disk, for that folder only). Returns the exit status and what it printed.
    func onFullDisk(_ dir: String, size: String, _ args: [String], env: [String: String]) async throws -> (Int32, String) {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let quoted = ([Self.binary.path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-rm", "/bin/sh", "-c", "mount -t tmpfs -o size=\(size) tmpfs '\(dir)' && exec \(quoted)"]
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let (data, status) = await p.outputAndExitStatus(out)
        return (status, String(decoding: data, as: UTF8.self))
    }

    static var canMountTmpfs: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-rm", "/bin/sh", "-c", "mount -t tmpfs -o size=8k tmpfs /tmp"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test("a full disk: pictures that cannot be written are exit 2 naming the file; a history that cannot be created is exit 73 and nothing is sent",
          .enabled(if: canMountTmpfs, "needs unshare -rm and tmpfs (a private mount namespace)"))
    func fullDisk() async throws {
        let sim = try await SimulatorServer.start()
        defer { Task { await sim.stop() } }
        let home = tempHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let env = environment(home, sim)
        // The results folder on an 8 KiB disk: the history is fine, the pictures do not fit.
        let results = home.path + "/data/darkroom/results"
        let (status, text) = try await onFullDisk(results, size: "8k", ["submit", "--model", "NanoBanana", "--prompt", "no room", "--wait"], env: env)
        #expect(status == 2, "\(text)")
        #expect(text.contains("warning: result 0 not saved: the file could not be written: cannot write \(results)/1-task_"), "\(text)")
        #expect(text.contains("No space left on device"))
        // The whole data folder on an 8 KiB disk: the history cannot even be created.
        let before = await sim.core.submitCount
        let data = home.path + "/data2/darkroom"
        var env2 = env
        env2["XDG_DATA_HOME"] = home.path + "/data2"
        let (status2, text2) = try await onFullDisk(data, size: "8k", ["submit", "--model", "NanoBanana", "--prompt", "no history"], env: env2)
        #expect(status2 == 73, "\(text2)")
        #expect(text2.contains("cannot open the history \(data)/history.sqlite"))
        #expect(await sim.core.submitCount == before, "nothing was sent")
    }
}
