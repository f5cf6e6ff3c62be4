import ArgumentParser
import DarkroomCore
import Foundation

/// Flags shared by every command that talks to the API.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The API's base URL (overrides DARKROOM_BASE_URL and the config file).")
    var baseURL: String?

    @Option(name: .long, help: "The config profile to use (default: DARKROOM_PROFILE, then default_profile, then \"default\").", completion: .profiles)
    var profile: String?

    @Flag(name: .long, help: "Read the API key from standard input (keys are never accepted as a flag).")
    var apiKeyStdin = false

    @Flag(name: .long, help: "Allow a plain http:// base URL that is not on this machine.")
    var allowInsecureHttp = false

    @Option(name: .long, help: ArgumentHelp("The HTTP proxy (a URL, or none); overrides the profile's proxy and HTTPS_PROXY, HTTP_PROXY, NO_PROXY.",
                                            valueName: "url"))
    var proxy: String?

    /// Resolves the configuration (an `api_key_command` runs on a thread of its own,
    /// sharing the terminal) or fails with exit status 64 and a message saying what to set.
    func configuration(_ ctx: CLIContext, stdinKey: String? = nil) async throws(CLIFailure) -> Configuration {
        let overrides = ConfigOverrides(baseURL: baseURL, profile: profile, keyFromStdin: stdinKey,
                                        allowInsecureHTTP: allowInsecureHttp, proxy: proxy)
        let config: Configuration
        do {
            config = try await ConfigResolver().resolveOffPool(overrides: overrides, environment: ctx.environment)
        } catch {
            throw CLIFailure(.invalidInput, error.description)
        }
        // Keys the file holds that darkroom does not know (a typo), before anything else is said.
        for w in config.warnings { ctx.console.warning(w) }
        return config
    }

    /// Reads a profile's key again from inside the TUI (F5 after a refused key):
    /// the environment and config file as they are now, and `api_key_command`
    /// run without the terminal (ncurses owns it), 30 s at most. The first
    /// profile keeps this command's flags and `DARKROOM_*` variables; others
    /// are read as the config file writes them, as when switching to them.
    func keyReader(_ ctx: CLIContext, firstProfile: String, stdinKey: String?) -> @Sendable (String) async throws -> APIKey {
        let connection = self
        return { name in
            if name == firstProfile, let k = stdinKey.flatMap(APIKey.init) { return k }
            var env = ctx.environment
            var overrides = ConfigOverrides(profile: name, allowInsecureHTTP: connection.allowInsecureHttp, proxy: connection.proxy)
            if name == firstProfile {
                overrides.baseURL = connection.baseURL
            } else {
                for k in ConfigResolver.firstProfileVariables { env[k] = nil }
            }
            let resolver = ConfigResolver(runKeyCommand: { try KeyCommand.run($0, mode: .detached) })
            return try await resolver.resolveOffPool(overrides: overrides, environment: env).apiKey
        }
    }

    func client(_ ctx: CLIContext, _ config: Configuration) -> DarkroomClient {
        DarkroomClient(baseURL: config.baseURL, apiKey: config.apiKey, transport: ctx.transport(config.proxy), sleep: ctx.sleep)
    }
}
