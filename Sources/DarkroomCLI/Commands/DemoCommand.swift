import ArgumentParser
import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomPreview
import DarkroomSimulator
import DarkroomTerminal
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the TUI against the built-in simulator, with a temporary data folder: no key, no set-up.")

    @Option(name: .long, help: "Fill the history with this many past tasks first, to try browsing and search.")
    var seed: Int = 120

    @OptionGroup var simulator: SimulatorOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw CLIFailure(.invalidInput, "the demo is an interactive TUI: run it in a terminal (scripts can use `darkroom simulator` and the CLI)")
        }
        guard (0...1_000_000).contains(seed) else { throw CLIFailure(.invalidInput, "--seed must be between 0 and 1000000") }
        // The demo honours the config file's [notifications], [prices] and [preview].
        let file = (try? ConfigResolver().loadFile(paths: DarkroomPaths(environment: ctx.environment))) ?? nil
        let graphics = try GraphicsSetting.resolve(environment: ctx.environment, file: file?.previewGraphics)
        var config = try simulator.config()
        // The demo's key has $5 and may not call NanoBananaPro-8K (the simulator's `sk-demo-` keys).
        config.apiKey = DemoProfiles.key
        Self.removeLeftovers()
        let folder = try Self.makeDataFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sim: SimulatorServer
        let store: HistoryStore
        do {
            sim = try await SimulatorServer.start(config: config)
            store = try HistoryStore(path: folder.appendingPathComponent(HistoryStore.fileName).path)
            if seed > 0 {
                try await HistorySeeder.seed(store, count: seed, profile: "demo", endpoint: Endpoint(sim.baseURL))
                // One run of 3 prompts × 2 models, the newest tasks: c on one shows the comparison grid.
                try await HistorySeeder.seedRun(store, profile: "demo", endpoint: Endpoint(sim.baseURL))
            }
        } catch {
            throw CLIFailure(.unavailable, "the demo could not start: \(HistoryStore.describe(error))")
        }
        let profiles = DemoProfiles(main: sim, store: store, results: folder.appendingPathComponent("results"))
        let studio: Studio<ContinuousClock>, connectionLabel: String
        do { (studio, connectionLabel) = try await profiles.open("demo") } catch {
            throw CLIFailure(.unavailable, "the demo could not start: \(HistoryStore.describe(error))")
        }
        let runner = TUIRunner(studio: studio, store: store, connectionLabel: connectionLabel,
                               notifications: file?.notifications ?? NotificationSettings(), prices: file?.prices,
                               budget: file?.budget ?? Budget(),
                               profiles: ProfileSwitcher(names: DemoProfiles.names) { try await profiles.open($0) },
                               graphics: graphics.0, graphicsSource: graphics.1,
                               thumbnails: DarkroomPaths(environment: ctx.environment).cacheDirectory.appendingPathComponent("thumbnails"),
                               cacheDirectory: folder, // the demo keeps its gateway answers and re-encodings in its own folder
                               styles: Array((file.map(\.styles).flatMap { $0.isEmpty ? nil : $0 } ?? Self.styles).values),
                               wildcardsFolder: Self.wildcards(user: DarkroomPaths(environment: ctx.environment), demo: folder))
        // Pictures for the newest seeded tasks are painted while the TUI runs, newest
        // first; each appears as soon as it is saved.
        let painter = Task.detached { [store] in
            try? await DemoPictures.attach(to: store, folder: folder.appendingPathComponent("results"),
                                           cache: DarkroomPaths(environment: ctx.environment).cacheDirectory.appendingPathComponent("demo-pictures"),
                                           limit: seed > 0 ? 24 : 0) { record in
                runner.taskUpdated(record)
            }
        }
        _ = await runner.run()
        painter.cancel()
        _ = await painter.value
        await profiles.stop()
        ctx.console.err("darkroom demo ended; its temporary data folder was removed")
        return .ok
    }
}

/// The demo's two profiles, to try switching (P): `demo` on the simulator
/// started first, and `demo-flaky` on a second simulator with the `flaky`
/// faults, started the first time it is chosen.
actor DemoProfiles {
    static let names = ["demo", "demo-flaky"]
    /// The demo's key: $5 on the simulator's gateway, and NanoBananaPro-8K not allowed.
    static let key = "sk-demo-0000000000000000"
    private let main: SimulatorServer
    private var flaky: SimulatorServer?
    private let store: HistoryStore
    private let results: URL

    init(main: SimulatorServer, store: HistoryStore, results: URL) {
        self.main = main
        self.store = store
        self.results = results
    }

    func open(_ name: String) async throws -> (studio: Studio<ContinuousClock>, connectionLabel: String) {
        let sim: SimulatorServer
        if name == "demo-flaky" {
            if flaky == nil {
                var config = SimulatorConfig()
                config.apiKey = Self.key
                config.faults = try FaultProfile.parse("flaky")
                flaky = try await SimulatorServer.start(config: config)
            }
            sim = flaky!
        } else {
            sim = main
        }
        let key = APIKey(sim.apiKey)!
        let studio = Studio(store: store, profile: name, client: DarkroomClient(baseURL: sim.baseURL, apiKey: key), clock: ContinuousClock(),
                            downloader: ResultDownloader(resultsDirectory: results))
        return (studio, "\(name) \(sim.baseURL.absoluteString) · \(key.masked)")
    }

    func stop() async {
        await main.stop()
        await flaky?.stop()
    }
}

extension DemoCommand {
    /// A new, empty folder for one demo's history and pictures, readable by the
    /// user only. Its name is unique (`mkdtemp`), never made from the process id
    /// alone: a demo killed before it could remove its folder must not hand its
    /// history to a later demo that gets the same process id.
    static func makeDataFolder(in parent: URL = FileManager.default.temporaryDirectory) throws(CLIFailure) -> URL {
        var template = Array(parent.appendingPathComponent("darkroom-demo-\(getpid())-XXXXXX").path.utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CLIFailure(.cannotCreate, "cannot create the demo's temporary folder in \(parent.path): \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// Removes what earlier demos left when they were killed outright (SIGKILL,
    /// a crash): folders `darkroom-demo-PID-XXXXXX` (or `darkroom-demo-PID`, as
    /// older versions named them) that this user owns and whose process is gone.
    /// Anything else, and the folders of demos still running, are left alone.
    static func removeLeftovers(in parent: URL = FileManager.default.temporaryDirectory) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix("darkroom-demo-") {
            let parts = name.dropFirst("darkroom-demo-".count).split(separator: "-", omittingEmptySubsequences: false)
            guard (parts.count == 1 || (parts.count == 2 && parts[1].count == 6)), let pid = Int32(parts[0]), pid > 0 else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = parent.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_uid == getuid(), info.st_mode & S_IFMT == S_IFDIR else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// Pictures for the newest seeded tasks, painted like the simulator's results,
/// so the demo's history has images to preview from the start. Each picture is
/// painted once and kept in `$XDG_CACHE_HOME/darkroom/demo-pictures`: the next
/// demo copies it instead of painting it again.
enum DemoPictures {
    static func attach(to store: HistoryStore, folder: URL, cache: URL?, limit: Int, attached: (TaskRecord) -> Void) async throws {
        guard limit > 0 else { return }
        if let cache { try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true) }
        try await HistorySeeder.attachFiles(store, limit: limit, paint: { task, index in
            if Task.isCancelled { return nil }
            let aspect = GPTImageSize.all.first { $0.name == task.request.size }?.aspect
                ?? task.request.aspectRatio.flatMap(AspectRatio.init(rawValue:))?.value ?? 1
            let dir = folder.appendingPathComponent("seed-\(task.localID)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent("\(index).png")
            let name = SHA256.hex(Array("\(task.request.prompt)|\(index)|\(aspect)|384|v1".utf8)) + ".png"
            let cached = cache?.appendingPathComponent(name)
            let png: [UInt8]
            if let cached, let data = FileManager.default.contents(atPath: cached.path), ImageSniffer.format(of: Array(data.prefix(16))) == .png {
                png = Array(data)
            } else {
                png = ScenePainter.png(prompt: task.request.prompt, variant: index, aspect: aspect)
                if let cached { try? AtomicFile.write(png, to: cached) }
            }
            try Data(png).write(to: url)
            let size = ScenePainter.pixelSize(aspect: aspect)
            return SavedResult(path: url.path, bytes: png.count, format: .png, width: size.width, height: size.height, sha256: SHA256.hex(png))
        }, attached: attached)
    }
}

extension DemoCommand {
    /// The demo's styles when the config file has none: the Style field has something to show.
    static let styles: [String: PromptStyle] = [
        "film": PromptStyle(name: "film", template: "{prompt}, 35mm film, soft grain"),
        "noir": PromptStyle(name: "noir", template: "{prompt}, black and white, hard shadows"),
    ]

    /// The user's wildcard folder when it exists; otherwise one in the demo's folder
    /// holding `colors.txt`, so `{@colors}` works in the demo.
    static func wildcards(user: DarkroomPaths, demo: URL) -> URL {
        if FileManager.default.fileExists(atPath: user.wildcardsDirectory.path) { return user.wildcardsDirectory }
        let folder = demo.appendingPathComponent("wildcards", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data("red\nteal\namber\n".utf8).write(to: folder.appendingPathComponent("colors.txt"))
        return folder
    }
}
