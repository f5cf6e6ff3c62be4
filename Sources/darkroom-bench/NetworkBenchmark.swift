import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomTestSupport
import Foundation
import Synchronization

/// The cost of HTTP as darkroom does it: a request waiting on a silent server,
/// the poller's CPU per query, the whole `darkroom watch` path per request, and
/// python3's bare `http.client` loop against the same simulator for scale.
enum NetworkBenchmark {
    /// CPU used while one request waits 8 s on a server that accepted the connection
    /// and never answers, on each transport (submits and files, and the poller's queries).
    static func stalled() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let request = HTTPRequestData(method: "GET", url: server.baseURL.appendingPathComponent("v1/images/tasks/x"), headers: [], timeout: .seconds(8))
        for (name, transport) in [("CurlTransport", CurlTransport() as any HTTPTransport)] {
            let cpu0 = cpuSeconds()
            let t0 = Date()
            let outcome: String
            do { _ = try await transport.send(request); outcome = "answered?" } catch { outcome = "\(error)" }
            let wall = Date().timeIntervalSince(t0)
            let cpu = cpuSeconds() - cpu0
            print("stalled request (\(name)): ended after \(String(format: "%.1f", wall)) s with \(outcome)")
            report("CPU while one request waits on a silent server (\(name), share of one core)", cpu / wall * 100, unit: "%", target: "< 2%")
        }
    }

    /// `darkroom simulator` in a child process; returns it and its base URL.
    static func startSimulator(_ args: [String]) throws -> (Process, URL) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("darkroom")
        let sim = Process()
        sim.executableURL = binary
        sim.arguments = ["simulator"] + args
        let out = Pipe()
        sim.standardOutput = out
        try sim.run()
        let firstLine = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let range = firstLine.range(of: "http://[0-9.:]+", options: .regularExpression), let base = URL(string: String(firstLine[range])) else {
            sim.terminate()
            throw BenchError(description: "the simulator did not start (build the darkroom binary first)")
        }
        return (sim, base)
    }

    /// The simulator's own counts: (submits, queries, files).
    static func served(_ base: URL) async throws -> (Int, Int, Int) {
        let r = try await CurlTransport().send(HTTPRequestData(method: "GET", url: base, headers: [], timeout: .seconds(5)))
        let text = String(decoding: r.body, as: UTF8.self)
        let numbers = text.split(separator: "\n").last?.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) } ?? []
        guard numbers.count == 3 else { throw BenchError(description: "no counts in \(text)") }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// The whole `darkroom watch` path (poll, history writes, downloads, progress
    /// lines) in a child process on `tasks` tasks, per request it made, beside
    /// python's bare loop against the same simulator.
    static func watch(tasks: Int, folder: URL) async throws {
        let (sim, base) = try startSimulator(["--seed", "3"])
        defer { sim.terminate() }
        let home = folder.appendingPathComponent("watch-home")
        let h = home.path
        var env: [String: String] = ["HOME": h, "PATH": "/usr/bin:/bin", "DARKROOM_API_KEY": "sk-bench-0000000000"]
        env["XDG_DATA_HOME"] = h + "/data"
        env["XDG_CONFIG_HOME"] = h + "/config"
        env["XDG_STATE_HOME"] = h + "/state"
        env["XDG_CACHE_HOME"] = h + "/cache"
        env["DARKROOM_BASE_URL"] = base.absoluteString
        let store = try HistoryStore(path: home.path + "/data/darkroom/history.sqlite")
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!)
        let studio = Studio(store: store, profile: "default", client: client, clock: ContinuousClock(), downloader: nil)
        var first = ""
        for i in 0..<tasks {
            let r = try await studio.submit(ImageRequest(model: "NanoBanana", prompt: "watched \(i)", n: 1 + i % 2))
            if i == 0 { first = r.taskID ?? "" }
        }
        await studio.shutdown()
        let before = try await served(base)
        let t0 = Date()
        let (status, usage) = try spawnDarkroom(["watch"], env: env)
        let wall = Date().timeIntervalSince(t0)
        let cpu = usage.cpuSeconds
        // Its start and exit alone: the same command on the same history, nothing
        // left to watch (median of 5). python's figure below starts after its
        // imports and its database's set-up, so this is what to leave out to compare.
        let startAndExit = try (0..<5).map { _ in try spawnDarkroom(["watch"], env: env).usage.cpuSeconds }.sorted()[2]
        let after = try await served(base)
        let requests = (after.1 - before.1) + (after.2 - before.2)
        let perRequest = cpu * 1000 / Double(max(1, requests))
        let py = try PythonYardstick.bareLoop(base: base, taskID: first, count: 2000)
        print("watch: \(tasks) tasks to the end in \(String(format: "%.1f", wall)) s, exit \(status >> 8); \(after.1 - before.1) queries and \(after.2 - before.2) result files")
        report("darkroom watch: CPU of the whole process", cpu * 1000, unit: "ms", target: "small")
        report("darkroom watch: CPU per request (queries and downloads)", perRequest, unit: "ms", target: "<= python's", digits: 3)
        report("darkroom watch with nothing to watch (start and exit), CPU", startAndExit * 1000, unit: "ms", target: "-")
        let perRequestRunning = (cpu - startAndExit) * 1000 / Double(max(1, requests))
        report("darkroom watch: CPU per request, start and exit left out", perRequestRunning, unit: "ms", target: "-", digits: 3)
        report("python3 http.client: CPU per GET + json.loads (2,000, kept alive)", py, unit: "ms", target: "for scale")
        report("ratio: darkroom watch per request / python bare loop", perRequest / py, unit: "x", target: "<= 1")
        var fresh: [String] = []
        for i in 0..<tasks {
            let r = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "watched by python \(i)", n: 1 + i % 2)).get()
            fresh.append(try await client.submit(r).id)
        }
        let durable = try PythonYardstick.durableWatch(base: base, ids: fresh, folder: folder.appendingPathComponent("python-watch"))
        report("python3 doing the durable work (\(durable.requests) requests), CPU per request", durable.ms, unit: "ms", target: "for scale")
        report("ratio: darkroom watch per request / python's durable watcher", perRequest / durable.ms, unit: "x", target: "-")
        report("ratio: the same, start and exit left out of both", perRequestRunning / durable.ms, unit: "x", target: "-")
    }

    /// The poller alone, in this process, against a simulator in a child process,
    /// beside python's bare loop: CPU per query.
    static func poller(tasks: Int) async throws {
        let (sim, base) = try startSimulator(["--seed", "3"])
        defer { sim.terminate() }
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!)
        var ids: [String] = []
        let request = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "bench")).get()
        for _ in 0..<tasks { ids.append(try await client.submit(request).id) }
        // The poller's defaults (16 in flight, a 250 ms window) unless the environment says otherwise.
        let env = ProcessInfo.processInfo.environment
        let polling = client.forPolling
        print("poller transport: \(type(of: polling.transport))")
        let poller = TaskPoller(client: polling, clock: ContinuousClock(),
                                maxInFlight: Int(env["DARKROOM_BENCH_IN_FLIGHT"] ?? "16") ?? 16,
                                coalescing: .milliseconds(Int(env["DARKROOM_BENCH_COALESCING_MS"] ?? "250") ?? 250))
        let t0 = Date()
        let switches0 = threadSwitches()
        let cpu = await follow(ids, on: poller)
        let switches = threadSwitches() - switches0
        let wall = Date().timeIntervalSince(t0)
        let queries = await poller.queryCount
        let peak = await poller.peakInFlight
        let wakeUps = await poller.timerWakeUps
        await poller.shutdown()
        let perQuery = cpu * 1000 / Double(max(queries, 1))
        let py = try PythonYardstick.bareLoop(base: base, taskID: ids[0], count: 2000)
        var fresh: [String] = []
        for _ in 0..<tasks { fresh.append(try await client.submit(request).id) }
        let pySchedule = try PythonYardstick.onSchedule(base: base, ids: fresh)
        print("poller: \(tasks) tasks watched to the end in \(String(format: "%.1f", wall)) s (simulated task lifetimes 4.5 to 22.5 s)")
        report("poller requests (\(String(format: "%.1f", Double(queries) / Double(tasks))) per task, peak \(peak) in flight)", Double(queries), unit: "req", target: "about one per 2-5 s per task")
        report("  timer wake-ups of the schedule", Double(wakeUps), unit: "", target: "fewer than requests")
        report("poller CPU time, whole process", cpu * 1000, unit: "ms", target: "small")
        report("poller CPU per request", perQuery, unit: "ms", target: "< 0.1 ms", digits: 3)
        report("  thread switches per request", Double(switches) / Double(max(queries, 1)), unit: "", target: "-")
        report("python3 http.client: CPU per GET + json.loads (2,000, kept alive)", py, unit: "ms", target: "for scale")
        report("ratio: poller per request / python bare loop", perQuery / py, unit: "x", target: "< 0.4")
        report("python3 on the same schedule (sleeps between GETs), CPU per GET", pySchedule, unit: "ms", target: "for scale")
        report("ratio: poller per request / python on the same schedule", perQuery / pySchedule, unit: "x", target: "-")
        report("poller CPU as share of one core over the run", cpu / wall * 100, unit: "%", target: "small")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

extension NetworkBenchmark {
    /// Sequential queries in a tight loop: the client and transport alone.
    static func client(count: Int) async throws {
        let (sim, base) = try startSimulator(["--seed", "3"])
        defer { sim.terminate() }
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!, retry: .none)
        let request = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "bench")).get()
        let id = try await client.submit(request).id
        for _ in 0..<200 { _ = try await client.task(id: id) }
        let cpu0 = cpuSeconds()
        for _ in 0..<count { _ = try await client.task(id: id) }
        let perQuery = (cpuSeconds() - cpu0) * 1000 / Double(count)
        var bare = client
        bare.abandonsAtDeadline = false
        let cpu2 = cpuSeconds()
        for _ in 0..<count { _ = try await bare.task(id: id) }
        let perBare = (cpuSeconds() - cpu2) * 1000 / Double(count)
        let transport = CurlTransport()
        let url = DarkroomClient.tasksURL(base: base).appendingPathComponent(id)
        let raw = HTTPRequestData(method: "GET", url: url, headers: [("Authorization", "Bearer sk-bench-0000000000")], timeout: .seconds(10))
        let cpu1 = cpuSeconds()
        for _ in 0..<count { _ = try await transport.send(raw) }
        let perSend = (cpuSeconds() - cpu1) * 1000 / Double(count)
        let polling = client.forPolling
        let cpu4 = cpuSeconds()
        for _ in 0..<count { _ = try await polling.task(id: id) }
        let perPolling = (cpuSeconds() - cpu4) * 1000 / Double(count)
        let py = try PythonYardstick.bareLoop(base: base, taskID: id, count: count)
        report("client.task(id:) in a loop, CPU per query", perQuery, unit: "ms", target: "< 0.1 ms")
        report("client.task(id:) without its own deadline, CPU per query", perBare, unit: "ms", target: "< 0.1 ms")
        report("client.forPolling.task(id:), CPU per query", perPolling, unit: "ms", target: "< 0.1 ms", digits: 3)
        report("CurlTransport.send alone, CPU per GET", perSend, unit: "ms", target: "< 0.1 ms", digits: 3)
        report("python3 http.client, CPU per GET + json.loads", py, unit: "ms", target: "for scale")
    }
}

/// Answers at once, from memory: a task succeeds at its fourth query.
final class InstantQuerier: TaskQuerying {
    private let counts = Mutex<[String: Int]>([:])
    func task(id: String) async throws -> ImageTask {
        let n = counts.withLock { c -> Int in
            c[id, default: 0] += 1
            return c[id]!
        }
        return n >= 4 ? ImageTask(id: id, status: .succeeded, progress: 100, resultURLs: ["http://x/1.png"])
            : ImageTask(id: id, status: .processing, progress: n * 20)
    }
}

extension NetworkBenchmark {
    /// The poller's own work per query (schedule, timer, workers, watchdog,
    /// policy, update stream and this loop reading it), with answers from memory.
    static func pollerAlone(tasks: Int) async {
        let poller = TaskPoller(client: InstantQuerier(), clock: ContinuousClock())
        let cpu = await follow((0..<tasks).map { "t\($0)" }, on: poller, known: false)
        let queries = await poller.queryCount
        let wakeUps = await poller.timerWakeUps
        await poller.shutdown()
        report("poller alone (answers from memory): CPU per query", cpu * 1000 / Double(max(queries, 1)), unit: "ms", target: "-")
        report("  timer wake-ups for \(queries) queries", Double(wakeUps), unit: "", target: "fewer than queries")
    }

    /// Watches `ids` on `poller` until every one has finished; returns the CPU
    /// seconds this process spent meanwhile. `known`: each is given as queued,
    /// so only changes are published.
    static func follow(_ ids: [String], on poller: TaskPoller<ContinuousClock>, known: Bool = true) async -> Double {
        let cpu0 = cpuSeconds()
        for id in ids { await poller.watch(id, last: known ? ImageTask(id: id, status: .queued, progress: 0) : nil) }
        var finished = 0
        for await update in poller.updates {
            if case let .task(t) = update, t.status.isFinished { finished += 1 }
            if finished == ids.count { break }
        }
        return cpuSeconds() - cpu0
    }
}

/// The CLI on a large history: whole runs of the release binary, wall time.
enum CLIBenchmark {
    /// Runs `darkroom ARGS` with `env`; returns wall milliseconds (stdout discarded).
    static func time(_ args: [String], env: [String: String]) throws -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try spawnDarkroom(args, env: env)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    static func run(tasks: Int, folder: URL) async throws {
        let home = folder.appendingPathComponent("cli-home").path
        let env = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "PATH": "/usr/bin:/bin"]
        let store = try HistoryStore(path: home + "/data/darkroom/history.sqlite")
        try await HistorySeeder.seed(store, count: tasks, endpoint: "https://bench.invalid")
        func median(_ args: [String], _ n: Int = 7) throws -> Double {
            _ = try time(args, env: env)
            return darkroomBenchMedian(try (0..<n).map { _ in try time(args, env: env) })
        }
        let baseline = try median(["--version"])
        report("darkroom --version (process start, for scale; median of 7)", baseline, unit: "ms", target: "-")
        report("darkroom history (30 rows, \(tasks) tasks), whole run", try median(["history"]), unit: "ms", target: "< 50 ms")
        report("darkroom show \(tasks / 2), whole run", try median(["show", "\(tasks / 2)"]), unit: "ms", target: "< 50 ms")
        let big = try median(["history", "--json", "--limit", "1000"])
        report("darkroom history --json --limit 1000, whole run", big, unit: "ms", target: "-")
        report("  of which work after start-up (minus --version)", big - baseline, unit: "ms", target: "< 100 ms")
    }
}

func darkroomBenchMedian(_ xs: [Double]) -> Double { median(xs) }

extension rusage {
    /// User and system CPU, in seconds.
    var cpuSeconds: Double {
        Double(ru_utime.tv_sec) + Double(ru_utime.tv_usec) / 1e6 + Double(ru_stime.tv_sec) + Double(ru_stime.tv_usec) / 1e6
    }
}

/// Runs the release `darkroom` next to this binary with `args` and `env` (no
/// terminal: its standard streams are /dev/null) and waits for it; returns its
/// wait status and its resource usage. posix_spawn and wait4, not Process:
/// Foundation reaps its children itself, and the child's CPU time comes only
/// with the wait that reaps it.
func spawnDarkroom(_ args: [String], env: [String: String]) throws -> (status: Int32, usage: rusage) {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("darkroom").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + args).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0.key + "=" + $0.value) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { throw BenchError(description: "cannot start darkroom \(args.joined(separator: " "))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    return (status, usage)
}
