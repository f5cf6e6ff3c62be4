import DarkroomCore
import Foundation

/// Watches many tasks on a simulator running in its own process (so its work
/// is not counted) and reports the poller's requests and CPU time.
enum PollerBenchmark {
    static func run(tasks: Int, folder: URL) async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("darkroom")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            print("poller: build the darkroom binary first (swift build)")
            return
        }
        let sim = Process()
        sim.executableURL = binary
        sim.arguments = ["simulator", "--seed", "3"]
        let out = Pipe()
        sim.standardOutput = out
        try sim.run()
        defer { sim.terminate() }
        let firstLine = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let range = firstLine.range(of: "http://[0-9.:]+", options: .regularExpression), let base = URL(string: String(firstLine[range])) else {
            print("poller: the simulator did not start")
            return
        }
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!)
        var ids: [String] = []
        let request = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "bench")).get()
        for _ in 0..<tasks { ids.append(try await client.submit(request).id) }
        let poller = TaskPoller(client: client.with(retry: .none), clock: ContinuousClock(), maxInFlight: 4)
        let cpu0 = cpuSeconds()
        let t0 = Date()
        for id in ids { await poller.watch(id, last: ImageTask(id: id, status: .queued, progress: 0)) }
        var finished = 0
        for await update in poller.updates {
            if case let .task(t) = update, t.status.isFinished { finished += 1 }
            if finished == tasks { break }
        }
        let wall = Date().timeIntervalSince(t0)
        let cpu = cpuSeconds() - cpu0
        let queries = await poller.queryCount
        let peak = await poller.peakInFlight
        await poller.shutdown()
        print("poller: \(tasks) tasks watched to the end in \(String(format: "%.1f", wall)) s (simulated task lifetimes 4.5 to 22.5 s)")
        report("poller requests (\(String(format: "%.1f", Double(queries) / Double(tasks))) per task, peak \(peak) in flight)", Double(queries), unit: "req", target: "about one per 2-5 s per task")
        report("poller CPU time, whole process", cpu * 1000, unit: "ms", target: "small")
        report("poller CPU per request", cpu * 1000 / Double(max(queries, 1)), unit: "ms", target: "small")
        report("poller CPU as share of one core over the run", cpu / wall * 100, unit: "%", target: "small")
    }
}
