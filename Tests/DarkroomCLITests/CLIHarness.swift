import Clocks
import DarkroomCLI
import DarkroomCore
import DarkroomSimulator
import Foundation
import Synchronization

/// Runs the CLI in-process with captured output, a private XDG home, and a
/// simulated clock that its sleeps advance.
final class CLIHarness: Sendable {
    let time = ManualTime()
    let home: URL
    private let out = Mutex("")
    private let err = Mutex("")
    let stdin: String

    /// How a terminal user answers the CLI's questions (nil: no terminal, as in scripts).
    let answers: Bool?

    init(stdin: String = "", busyTimeout: TimeInterval = 10, answers: Bool? = nil) {
        self.stdin = stdin
        self.answers = answers
        self.busyTimeout = busyTimeout
        home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: home) }

    var stdout: String { out.withLock { $0 } }
    var stderr: String { err.withLock { $0 } }

    func environment(_ extra: [String: String]) -> [String: String] {
        var env = ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "XDG_DATA_HOME": home.path + "/data",
                   "XDG_STATE_HOME": home.path + "/state"]
        env.merge(extra) { _, b in b }
        return env
    }

    /// Writes the config file (`$XDG_CONFIG_HOME/darkroom/config.toml`) with `mode` (default 600) and returns its URL.
    @discardableResult
    func writeConfig(_ text: String, mode: mode_t = 0o600) throws -> URL {
        let config = home.appendingPathComponent("config/darkroom/config.toml")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: config, atomically: true, encoding: .utf8)
        chmod(config.path, mode)
        return config
    }

    /// How long the history waits for a lock held elsewhere.
    let busyTimeout: TimeInterval

    func run(_ args: [String], env: [String: String] = [:], stderrIsTTY: Bool = false) async -> Int32 {
        out.withLock { $0 = "" }
        err.withLock { $0 = "" }
        let console = Console(writeOut: { s in self.out.withLock { $0 += s } },
                              writeErr: { s in self.err.withLock { $0 += s } }, stderrIsTTY: stderrIsTTY)
        let input = stdin
        var ctx = CLIContext(console: console, environment: environment(env), readStdin: { input },
                             transport: { CurlTransport(proxy: $0) }, sleep: { d in self.time.advance(by: d) },
                             now: { self.time.now() }, clock: AnyClock(SimulatedClock(time: time)))
        ctx.historyBusyTimeout = busyTimeout
        // The in-process simulator answers slowly beside the whole suite on two cores.
        ctx.gatewayTimeout = .seconds(60)
        if let answers { ctx.confirm = { _ in answers } } else { ctx.confirm = nil }
        return await DarkroomMain.run(args, context: ctx)
    }

    /// Runs `args`, or gives up after `seconds` of real time (nil; the run goes on in the
    /// background): for tests of what must not hang.
    func run(_ args: [String], env: [String: String] = [:], within seconds: Int) async -> Int32? {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await self.run(args, env: env) }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func startSimulator(_ configure: (inout SimulatorConfig) -> Void = { _ in }) async throws -> SimulatorServer {
        var c = SimulatorConfig()
        configure(&c)
        return try await SimulatorServer.start(config: c, now: { self.time.now() })
    }

    static func env(_ s: SimulatorServer) -> [String: String] {
        ["DARKROOM_BASE_URL": s.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-cli-test-key-0042"]
    }
}
