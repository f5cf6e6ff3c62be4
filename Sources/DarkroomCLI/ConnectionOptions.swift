import ArgumentParser
import DarkroomCore
import Foundation

/// Flags shared by every command that talks to the API.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The API's base URL (overrides DARKROOM_BASE_URL and the config file).")
    var baseURL: String?

    @Option(name: .long, help: "The config profile to use (default: DARKROOM_PROFILE, then default_profile, then \"default\").")
    var profile: String?

    @Flag(name: .long, help: "Read the API key from standard input (keys are never accepted as a flag).")
    var apiKeyStdin = false

    @Flag(name: .long, help: "Allow a plain http:// base URL that is not on this machine.")
    var allowInsecureHttp = false

    /// Resolves the configuration or fails with exit status 64 and a message saying what to set.
    func configuration(_ ctx: CLIContext, stdinKey: String? = nil) throws(CLIFailure) -> Configuration {
        let overrides = ConfigOverrides(baseURL: baseURL, profile: profile, keyFromStdin: stdinKey,
                                        allowInsecureHTTP: allowInsecureHttp)
        do {
            return try ConfigResolver().resolve(overrides: overrides, environment: ctx.environment)
        } catch {
            throw CLIFailure(.invalidInput, error.description)
        }
    }

    func client(_ ctx: CLIContext, _ config: Configuration) -> DarkroomClient {
        DarkroomClient(baseURL: config.baseURL, apiKey: config.apiKey, transport: ctx.transport, sleep: ctx.sleep)
    }
}
