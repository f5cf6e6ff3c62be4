import DarkroomCore
import Foundation

/// The CLI's side of the budget: a request or run estimated over
/// `max_run_cost`, or over the key's last known balance, is refused before
/// anything is sent (exit 64, with the numbers) unless `--over-budget` is given.
/// It reads the balance the profile's cache holds: a submit never waits for the gateway.
enum BudgetGate {
    /// Refuses (or, for a dry run, warns) when `cost` is over the limit or the balance.
    static func check(_ ctx: CLIContext, cost: Double?, what: String, local: ServerFacts.Local, sending: SendingOptions,
                      dryRun: Bool = false) throws(CLIFailure) {
        let budget = local.budget, facts = local.facts
        guard let problem = BudgetCheck.problem(cost: cost, budget: budget, balance: facts.balance), let cost else {
            if cost == nil, let unpriced = BudgetCheck.unpriced(budget: budget) { ctx.console.warning(unpriced) }
            return
        }
        let overLimit = BudgetCheck.overLimit(cost, budget), overBalance = BudgetCheck.overBalance(cost, facts.balance)
        let asOf = overBalance ? facts.balanceAt.map { " (balance as of \(TimeText.iso8601($0)); `darkroom balance` asks again)" } ?? "" : ""
        var ways = ["send less"]
        if overLimit { ways.append("raise max_run_cost") }
        if overBalance { ways.append("top up") }
        let advice = ways.joined(separator: ", ") + ", or add --over-budget"
        if dryRun {
            ctx.console.warning("\(what) is \(problem)\(asOf): without --dry-run it is refused (\(advice))")
            return
        }
        if sending.overBudget {
            ctx.console.warning("\(what) is \(problem)\(asOf); sent because of --over-budget")
            return
        }
        throw CLIFailure(.invalidInput, "\(what) is \(problem)\(asOf); nothing was sent. \(advice.prefix(1).uppercased() + advice.dropFirst())")
    }

    /// After a run stopped on the gateway's quota refusal: what happened, in words,
    /// and how to go on ("the key's quota is used up ($0.00 left): top up, then
    /// `darkroom run resume 7` sends the 3 paused; the refused (#10, #11) go again with `darkroom rerun ID`").
    static func quotaStop(_ e: APIError, run: Int64, paused: Int, refused: [Int64], facts: GatewayFacts) -> String? {
        let again = refused.isEmpty ? "" : "the refused (\(refused.map { "#\($0)" }.joined(separator: ", "))) go again with `darkroom rerun ID`"
        let next = paused > 0
            ? "top up, then `darkroom run resume \(run)` sends the \(paused) paused" + (again.isEmpty ? "" : "; " + again)
            : "top up; " + (again.isEmpty ? "then send again" : again)
        return BudgetCheck.quotaStop(e, balance: facts.balance?.dollarsLeft, next: next)
    }
}
