import DarkroomSimulator

/// The simulator settings `darkroom simulator` and `darkroom demo` both take.
enum SimulatorOptions {
    /// A config for `--speed` and `--faults`, or a message naming the bad flag.
    static func config(speed: Double, faults: String) throws(CLIFailure) -> SimulatorConfig {
        var config = SimulatorConfig()
        guard speed > 0, speed.isFinite else { throw CLIFailure(.invalidInput, "--speed must be a positive number") }
        config.speed = speed
        do { config.faults = try FaultProfile.parse(faults) } catch { throw CLIFailure(.invalidInput, error.description) }
        return config
    }
}
