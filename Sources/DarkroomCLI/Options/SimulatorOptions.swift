import ArgumentParser
import DarkroomCore
import DarkroomSimulator

/// The simulator flags `darkroom simulator` and `darkroom demo` both take.
struct SimulatorOptions: ParsableArguments {
    @Option(name: .long, help: "How many times faster than real time the simulator's tasks run (default 1).")
    var speed: Double = 1

    @Option(name: .long, help: "A fault profile: none, shapes, flaky, chaos, or a list like server_error=0.2,drop=0.05.")
    var faults: String = "none"

    @Option(name: .long, help: "The gateway's routes (/v1/models, /api/usage/token/, the billing pair, /api/pricing): on, off (404) or slow (5 s).")
    var gateway: String = "on"

    /// A simulator config for these flags, or a message naming the bad flag.
    func config() throws(CLIFailure) -> SimulatorConfig {
        var config = SimulatorConfig()
        guard speed > 0, speed.isFinite else { throw CLIFailure(.invalidInput, "--speed must be a positive number") }
        config.speed = speed
        do { config.faults = try FaultProfile.parse(faults) } catch { throw CLIFailure(.invalidInput, error.description) }
        guard let mode = GatewayMode(rawValue: gateway.lowercased()) else {
            throw CLIFailure(.invalidInput, "--gateway must be on, off or slow (got \"\(TerminalSanitizer.clean(gateway))\")")
        }
        config.gateway = mode
        return config
    }
}
