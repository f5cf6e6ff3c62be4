import DarkroomCore
import Foundation

/// The gateway's facts for one CLI command: read from the profile's cache
/// without the network (a submit or a dry run never waits for the gateway),
/// or asked afresh (`models --refresh`, `balance`) and kept for next time.
enum ServerFacts {
    /// What a command that sends knows without the network: the profile's kept
    /// facts, the config's `[prices]` and budget (the config file read once).
    struct Local {
        var facts: GatewayFacts
        var table: PriceTable?
        var budget: Budget
        /// `[prices]` first, then the server's.
        var prices: Prices { Prices(table: table, server: facts.pricing) }
    }

    /// The profile's kept facts and the config's prices and budget. `file` is the
    /// config file when the command has read it already (else it is read here).
    static func local(_ ctx: CLIContext, connection: ConnectionOptions, file: ConfigFile?? = nil) -> Local {
        let file = file ?? ((try? ConfigResolver().loadFile(paths: DarkroomPaths(environment: ctx.environment))) ?? nil)
        return Local(facts: cached(ctx, connection: connection, file: file), table: file?.prices, budget: file?.budget ?? Budget())
    }

    /// The cached facts of the profile this command would use, found without
    /// resolving the key (no `api_key_command` runs, nothing is sent): the key is
    /// checked against the cache's fingerprint only when it is at hand.
    static func cached(_ ctx: CLIContext, connection: ConnectionOptions, file: ConfigFile?) -> GatewayFacts {
        let paths = DarkroomPaths(environment: ctx.environment)
        let name = ConfigResolver.profileName(connection.profile, environment: ctx.environment, file: file)
        let profile = file?.profiles[name]
        guard let raw = ConfigResolver.trimmedNonEmpty(connection.baseURL) ?? ConfigResolver.trimmedNonEmpty(ctx.environment["DARKROOM_BASE_URL"])
            ?? ConfigResolver.trimmedNonEmpty(profile?.baseURL) else { return GatewayFacts() }
        let key = ConfigResolver.trimmedNonEmpty(ctx.environment["DARKROOM_API_KEY"]).flatMap(APIKey.init)
            ?? ConfigResolver.trimmedNonEmpty(profile?.apiKey).flatMap(APIKey.init)
        return GatewayCache(cacheDirectory: paths.cacheDirectory).load(profile: name, endpoint: Endpoint(raw), key: key)
    }

    /// The cached facts of a resolved configuration.
    static func cached(_ config: Configuration) -> GatewayFacts {
        GatewayCache(cacheDirectory: config.paths.cacheDirectory).load(profile: config.profile, endpoint: Endpoint(config.baseURL), key: config.apiKey)
    }

    /// Asks `routes` (each with its short time limit) and keeps the answers.
    /// A cache that cannot be written is said once as a warning; the facts are still used.
    static func refresh(_ ctx: CLIContext, config: Configuration, routes: [GatewayRoute]) async -> (GatewayFacts, [GatewayRoute: GatewayProbe.Outcome]) {
        var probe = GatewayProbe(base: config.baseURL, apiKey: config.apiKey, transport: ctx.transport(config.proxy))
        probe.timeout = ctx.gatewayTimeout
        let (facts, said) = await probe.refresh(cached(config), routes: routes, now: ctx.now)
        do {
            try GatewayCache(cacheDirectory: config.paths.cacheDirectory).save(facts, profile: config.profile, endpoint: Endpoint(config.baseURL), key: config.apiKey)
        } catch {
            ctx.console.warning("the server's answers could not be kept for next time: \(error)")
        }
        return (facts, said)
    }

    /// "GET /v1/models at 2026-12-06T05:20:00Z".
    static func source(_ route: GatewayRoute, at: Date?) -> String {
        route.label + (at.map { " at \(TimeText.iso8601($0))" } ?? "")
    }
}
