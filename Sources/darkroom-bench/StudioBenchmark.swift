import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

/// The watch path without the CLI around it: a Studio (poller, history writes,
/// events) in this process, on a simulator in a child process, downloads off.
/// CPU per query, to split what `darkroom watch` costs between the Studio and
/// the rest (process start, progress lines).
enum StudioBenchmark {
    static func run(tasks: Int, folder: URL) async throws {
        let (sim, base) = try NetworkBenchmark.startSimulator(["--seed", "3"])
        defer { sim.terminate() }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try HistoryStore(path: folder.appendingPathComponent("studio.sqlite").path)
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!)
        let studio = Studio(store: store, profile: "bench", client: client, clock: ContinuousClock(), downloader: nil)
        try await studio.start()
        let request = ImageRequest(model: "NanoBanana", prompt: "bench")
        var open = Set<Int64>()
        for _ in 0..<tasks { open.insert(try await studio.submit(request).localID) }
        let (_, queries0, _) = try await NetworkBenchmark.served(base)
        let cpu0 = cpuSeconds(), sw0 = threadSwitches()
        for await event in studio.events {
            if case let .changed(r) = event, r.state.isFinal { open.remove(r.localID) }
            if open.isEmpty { break }
        }
        let cpu = cpuSeconds() - cpu0
        let switches = threadSwitches() - sw0
        let (_, queries1, _) = try await NetworkBenchmark.served(base)
        await studio.shutdown()
        let queries = queries1 - queries0
        report("Studio: \(tasks) tasks to the end, \(queries) queries, CPU per query", cpu * 1000 / Double(max(queries, 1)), unit: "ms", target: "-")
        report("  thread switches per query", Double(switches) / Double(max(queries, 1)), unit: "", target: "-")
    }
}
