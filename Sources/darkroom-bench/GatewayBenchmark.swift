import DarkroomCore
import DarkroomSimulator
import DarkroomTestSupport
import Foundation

/// The gateway never delays the first frame, and `darkroom models` reads its
/// kept list quickly: the release binary on a pseudo-terminal against three
/// simulators (gateway routes answering, off, and slow: 5 s), each start with
/// an empty cache (the worst case: nothing kept, everything asked).
enum GatewayBenchmark {
    static func run(folder: URL) async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("darkroom").path
        var results: [(String, Double)] = []
        for mode in [GatewayMode.off, .on, .slow] {
            var config = SimulatorConfig()
            config.gateway = mode
            let sim = try await SimulatorServer.start(config: config)
            var times: [Double] = []
            for i in 0..<7 {
                let home = folder.appendingPathComponent("gateway-\(mode.rawValue)-\(i)").path
                let env = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache",
                           "XDG_STATE_HOME": home + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8", "DARKROOM_GRAPHICS": "none",
                           "DARKROOM_BASE_URL": sim.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-bench-gateway-0001", "PATH": "/usr/bin:/bin"]
                let t0 = DispatchTime.now().uptimeNanoseconds
                let tty = try PseudoTerminal([binary], environment: env)
                let marker = Array("Describe the image".utf8)
                while !contains(tty.output, marker), DispatchTime.now().uptimeNanoseconds - t0 < 20_000_000_000 { usleep(1000) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                tty.stop()
            }
            await sim.stop()
            let name: String
            switch mode {
            case .off: name = "first frame, gateway routes off: 404 (median of 7)"
            case .on: name = "first frame, gateway routes answering (median of 7)"
            case .slow: name = "first frame, gateway routes answer after 5 s (median of 7)"
            }
            results.append((name, median(times)))
        }
        for (name, value) in results { report(name, value, unit: "ms", target: "slow ≤ off") }

        // `darkroom models` with the list kept: whole runs of the release binary.
        let sim = try await SimulatorServer.start()
        let home = folder.appendingPathComponent("gateway-models").path
        let env = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache",
                   "DARKROOM_BASE_URL": sim.baseURL.absoluteString, "DARKROOM_API_KEY": "sk-bench-gateway-0002", "PATH": "/usr/bin:/bin"]
        let cold = try CLIBenchmark.time(["models"], env: env)
        let asked = await sim.core.gatewayCount
        let warm = median(try (0..<9).map { _ in try CLIBenchmark.time(["models"], env: env) })
        let askedAfter = await sim.core.gatewayCount
        await sim.stop()
        report("darkroom models, nothing kept (asks the server)", cold, unit: "ms", target: "-")
        report("darkroom models, list kept (median of 9; \(askedAfter - asked) asked)", warm, unit: "ms", target: "< 50 ms")
        report("darkroom --version (process start, for scale)",
               median(try (0..<7).map { _ in try CLIBenchmark.time(["--version"], env: env) }), unit: "ms", target: "-")
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            (0...(h.count - needle.count)).contains { i in needle.indices.allSatisfy { h[i + $0] == needle[$0] } }
        }
    }
}
