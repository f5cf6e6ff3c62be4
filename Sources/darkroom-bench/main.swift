import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import Foundation

// Prints darkroom's performance figures. Not a test: numbers, to compare with
// the targets in BENCHMARKS.md.
// Usage: darkroom-bench [history|tui|poller|watch|hash|stall|preview|pictures|run|cli|client|writes|studio|gateway|remix|all] [--tasks N] [--watch N]

let args = Array(CommandLine.arguments.dropFirst())
let which = args.first { !$0.hasPrefix("--") } ?? "all"
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func ms(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
}

func ms(_ body: () async throws -> Void) async rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
}

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.cpuSeconds
}

/// Times a thread of this process gave up the CPU (waiting, or pre-empted):
/// about two per hand-over from one thread to another.
func threadSwitches() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.ru_nvcsw + u.ru_nivcsw
}

func report(_ name: String, _ value: Double, unit: String, target: String, digits: Int = 2) {
    print(DisplayWidth.pad(name, to: 62) + String(format: "%10.\(digits)f ", value) + DisplayWidth.pad(unit, to: 4) + "  (target \(target))")
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }

if which == "history" || which == "all" {
    let count = option("--tasks", 100_000)
    let path = folder.appendingPathComponent("history.sqlite").path
    let seedTime = try await ms {
        let store = try HistoryStore(path: path)
        try await HistorySeeder.seed(store, count: count, endpoint: "https://bench.invalid")
        try await HistorySeeder.curate(store)
    }
    print("history: \(count) tasks seeded (a third tagged, 5% starred, 3% hidden) in \(Int(seedTime)) ms")
    var open: [Double] = []
    for _ in 0..<7 {
        open.append(try await ms {
            let store = try HistoryStore(path: path)
            _ = try await store.search(HistoryQuery(limit: 60))
        })
    }
    report("open history + first page of 60 (median of 7)", median(open), unit: "ms", target: "< 50 ms")
    let store = try HistoryStore(path: path)
    for (label, text) in [("FTS search \"lighthouse\", first 60", "lighthouse"), ("FTS search \"red fox dusk\", first 60", "red fox dusk"),
                          ("FTS search \"zebra\" (no match)", "zebra"), ("short-word search \"猫\" (LIKE), first 60", "猫"),
                          ("short-word search \"zq\" (LIKE, no match: full scan)", "zq")] {
        var times: [Double] = []
        for _ in 0..<21 { times.append(try await ms { _ = try await store.search(HistoryQuery(text: text, limit: 60)) }) }
        report(label + " (median of 21)", median(times), unit: "ms", target: "< 10 ms")
    }
    // As the TUI's list asks: hidden tasks left out, tags and stars from the search box.
    for (label, text) in [("tag search \"#keeper\" (shown only), first 60", "#keeper"),
                          ("tag + FTS \"#night lighthouse\", first 60", "#night lighthouse"),
                          ("starred + FTS \"* red fox\", first 60", "* red fox"),
                          ("two tags + star \"#film #print *\", first 60", "#film #print *"),
                          ("unused tag \"#nosuch\" (no match)", "#nosuch")] {
        var times: [Double] = []
        var q = HistoryQuery(text: text, limit: 60)
        q.hidden = .shown
        for _ in 0..<21 { times.append(try await ms { _ = try await store.search(q) }) }
        report(label + " (median of 21)", median(times), unit: "ms", target: "< 10 ms")
    }
    var deep: [Double] = []
    let mid = Int64(count / 2)
    for _ in 0..<21 { deep.append(try await ms { _ = try await store.search(HistoryQuery(before: mid, limit: 60)) }) }
    report("a page from the middle (keyset, median of 21)", median(deep), unit: "ms", target: "same as the first")
}

if which == "tui" || which == "all" {
    let path = folder.appendingPathComponent("tui-history.sqlite").path
    let store = try HistoryStore(path: path)
    try await HistorySeeder.seed(store, count: option("--tasks", 100_000), endpoint: "https://bench.invalid")
    try await TUIBenchmark.run(historyPath: path)
}

if which == "preview" || which == "all" {
    try PreviewBenchmark.run(folder: folder)
}

if which == "pictures" || which == "all" {
    try await PictureBenchmark.run(folder: folder.appendingPathComponent("pictures"))
}

if which == "poller" || which == "all" {
    await NetworkBenchmark.pollerAlone(tasks: option("--watch", 1000))
    try await NetworkBenchmark.poller(tasks: option("--watch", 1000))
}

if which == "watch" || which == "all" {
    try await NetworkBenchmark.watch(tasks: option("--watch", 60), folder: folder)
}

if which == "run" || which == "all" {
    try await RunBenchmark.run(folder: folder, requests: option("--requests", 100))
}

if which == "cli" || which == "all" {
    try await CLIBenchmark.run(tasks: option("--tasks", 100_000), folder: folder)
}

if which == "remix" {
    try await RemixBenchmark.run(folder: folder.appendingPathComponent("remix"))
}

if which == "gateway" {
    try await GatewayBenchmark.run(folder: folder)
}

if which == "writes" {
    try await HistoryWriteBenchmark.run(folder: folder, changes: option("--count", 3000))
}

if which == "studio" {
    try await StudioBenchmark.run(tasks: option("--watch", 60), folder: folder)
}

if which == "client" {
    try await NetworkBenchmark.client(count: option("--count", 3000))
}

if which == "hash" || which == "all" {
    // A download's checksum: 32 MiB fed in 64 KiB pieces, as the network hands them over.
    let piece = [UInt8](repeating: 0x5a, count: 64 << 10)
    for hardware in [true, false] {
        var sha = SHA256(hardware: hardware)
        guard hardware == sha.usesHardware else { print("SHA-256: this CPU has no SHA instructions"); continue }
        let t = ms { for _ in 0..<512 { sha.update(piece) }; _ = sha.hexDigest }
        report("SHA-256, \(hardware ? "the CPU's SHA instructions" : "Swift rounds"), 32 MiB in 64 KiB pieces", Double(32 << 20) / 1e6 / (t / 1000), unit: "MB/s", target: "-", digits: 0)
    }
}

if which == "stall" || which == "all" {
    try await NetworkBenchmark.stalled()
}
