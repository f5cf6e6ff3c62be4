import ArgumentParser
import DarkroomCore
import Foundation

struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "What is left on the key: asked of the server now (GET /api/usage/token/, else the billing routes).",
        discussion: """
        The gateway counts in quota units; darkroom shows dollars at 500,000 units a dollar
        (the gateway's default) and prints the raw units too. A key without a limit is
        "unlimited". When the server cannot be asked, what it said last is shown with its
        time; when it does not say at all (the routes are off), the command says so and exits 69.
        """)

    @OptionGroup(title: "Output") var output: JSONOutput

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        let config = try await connection.configuration(ctx, stdinKey: connection.apiKeyStdin ? ctx.readStdin() : nil)
        let (facts, said) = await ServerFacts.refresh(ctx, config: config, routes: GatewayProbe.balanceRoutes)
        guard let balance = facts.balance, let at = facts.balanceAt else {
            let why = GatewayProbe.balanceRoutes.compactMap { r in said[r].map { "\(r.label): \(Self.words($0))" } }
            if output.json {
                // A script reading stdout gets JSON whatever happened.
                ctx.console.out(JSONValue.object([("text", .null), ("error", "the server does not say what is left on the key"),
                                                  ("routes", .object(GatewayProbe.balanceRoutes.compactMap { r in said[r].map { (r.label, .string(Self.words($0))) } }))])
                    .serialized(pretty: true))
            }
            throw CLIFailure(.unavailable, "the server does not say what is left on the key (" + why.joined(separator: "; ") + ")")
        }
        let fresh = said[balance.route]?.isAnswer ?? false
        if output.json {
            ctx.console.out(Self.json(balance, at: at, fresh: fresh).serialized(pretty: true))
            return .ok
        }
        var lines = [balance.text]
        if let u = balance.units {
            lines.append("quota units: \(CountText.grouped(u.granted)) granted, \(CountText.grouped(u.used)) used, \(CountText.grouped(u.available)) available"
                         + " (\(CountText.grouped(Int(balance.unitsPerDollar))) units = $1)")
        }
        if let e = balance.expiresAt { lines.append("the key expires \(TimeText.iso8601(e))") }
        lines.append("from \(balance.route.label)\(balance.route == .subscription ? " and \(GatewayRoute.usage.label)" : "") at \(TimeText.iso8601(at))"
                     + (fresh ? "" : " (the server could not be asked now; this is what it said then)"))
        let w = config.budget.warningThreshold
        if let left = balance.dollarsLeft, !balance.unlimited, left < w {
            lines.append("below balance_warning (\(KeyBalance.dollars(w))): top up before a large run")
        }
        ctx.console.out(lines.joined(separator: "\n"))
        return .ok
    }

    static func words(_ o: GatewayProbe.Outcome) -> String {
        switch o {
        case .answer: return "answered"
        case let .off(why): return why
        case let .unreachable(why): return "no answer (\(why))"
        }
    }

    static func json(_ b: KeyBalance, at: Date, fresh: Bool) -> JSONValue {
        .object([
            ("text", .string(b.text)),
            ("unlimited", .bool(b.unlimited)),
            ("dollars_left", b.dollarsLeft.map { .double(($0 * 1_000_000).rounded() / 1_000_000) } ?? .null),
            ("quota_units", b.units.map { .object([("granted", .int($0.granted)), ("used", .int($0.used)), ("available", .int($0.available))]) } ?? .null),
            ("units_per_dollar", .int(Int(b.unitsPerDollar))),
            ("source", .string(b.route == .subscription ? "\(b.route.label) + \(GatewayRoute.usage.label)" : b.route.label)),
            ("fetched_at", .string(TimeText.iso8601(at))),
            ("fresh", .bool(fresh)),
            ("expires_at", b.expiresAt.map { .string(TimeText.iso8601($0)) } ?? .null),
        ])
    }
}
