import DarkroomCore
import Foundation

/// What the gateway says reaches the screen (the composer's models, the
/// status bar's balance, the prices), and when it is asked again: everything
/// at start and on F5 (the shell does both), the balance when a task ends, at
/// most once a minute. A route that does not answer is said once, in the log.
enum GatewayUpdates {
    static func answered(_ s: inout AppState, _ snapshot: GatewaySnapshot, problems: [String: String]) -> [Effect] {
        s.gateway = snapshot
        s.composer.access = snapshot.access
        s.composer.refreshValidation(force: true)
        for (route, why) in problems.sorted(by: { $0.key < $1.key }) where s.gatewaySaid.insert(route).inserted {
            s.note("\(route): \(TerminalSanitizer.clean(why)); \(consequence(route))")
        }
        // F5 asked: say what came back (the status bar said "Asking…" until now).
        if s.gatewayAsking {
            s.gatewayAsking = false
            s.say(summary(snapshot, problems: problems.count))
        }
        return []
    }

    /// "The server answered: 3 models for this key, $12.40 left, prices for 11 models (1 route did not: L)".
    static func summary(_ g: GatewaySnapshot, problems: Int) -> String {
        var parts: [String] = []
        if let models = g.access.server { parts.append("\(models.models.filter(\.makesImages).count) image models for this key") }
        if let b = g.balance { parts.append(b.text) }
        if let p = g.pricing { parts.append("prices for \(p.models.count) models") }
        let failed = problems == 0 ? "" : " (\(problems) route\(problems == 1 ? "" : "s") did not: L)"
        return parts.isEmpty ? "The server said nothing about the key\(failed)" : "The server answered: " + parts.joined(separator: ", ") + failed
    }

    /// What darkroom does without a route's answer.
    static func consequence(_ route: String) -> String {
        switch route {
        case GatewayRoute.models.label: return "every catalog model is offered, unchecked"
        case GatewayRoute.pricing.label: return "costs come from [prices], else billable units"
        default: return "the balance is not shown"
        }
    }

    /// A task the TUI watched ended: its cost is now on the balance (asked again
    /// only where the server gave a balance before).
    static func taskEnded(_ s: inout AppState) {
        if s.gateway.balance != nil { s.balanceDue = true }
    }

    /// Asks the balance when one is due and the minute since the last such ask is over.
    static func due(_ s: inout AppState) -> [Effect] {
        guard s.balanceDue else { return [] }
        if let last = s.balanceAskedAt, s.clock.timeIntervalSince(last) < 60 { return [] }
        s.balanceDue = false
        s.balanceAskedAt = s.clock
        return [.askGateway(GatewayProbe.balanceRoutes)]
    }

    /// The status bar's balance ("$12.40 left", "unlimited"), and whether it is under `balance_warning`.
    static func balance(_ s: AppState) -> (text: String, low: Bool)? {
        guard let b = s.gateway.balance else { return nil }
        let low = !b.unlimited && (b.dollarsLeft ?? 0) < s.budget.warningThreshold
        return (b.text, low)
    }
}
