import DarkroomCore
import Foundation

/// The CLI's side of the budget: a request or run estimated over
/// `max_run_cost`, or over the key's last known balance, is refused before
/// anything is sent (exit 64, with the numbers) unless `--over-budget` is given.
/// It reads the balance the profile's cache holds: a submit never waits for the gateway.
enum BudgetGate {
    static func check(_ ctx: CLIContext, cost: Double?, what: String, facts: GatewayFacts, sending: SendingOptions) throws(CLIFailure) {
        let file = (try? ConfigResolver().loadFile(paths: DarkroomPaths(environment: ctx.environment))) ?? nil
        let budget = file?.budget ?? Budget()
        guard let problem = BudgetCheck.problem(cost: cost, budget: budget, balance: facts.balance) else {
            if cost == nil, let unpriced = BudgetCheck.unpriced(budget: budget) { ctx.console.warning(unpriced) }
            return
        }
        let asOf = facts.balanceAt.map { " (balance as of \(TimeText.iso8601($0)); `darkroom balance` asks again)" } ?? ""
        if sending.overBudget {
            ctx.console.warning("\(what) is \(problem)\(asOf); sent because of --over-budget")
            return
        }
        throw CLIFailure(.invalidInput, "\(what) is \(problem)\(asOf); nothing was sent. Send less, raise max_run_cost, top up, or add --over-budget")
    }

    /// After a run stopped on the gateway's quota refusal: what happened, in words,
    /// and how to go on ("the key's quota is used up ($0.00 left): top up, then `darkroom run resume 7`").
    static func quotaStop(_ e: APIError, run: Int64?, facts: GatewayFacts) -> String? {
        BudgetCheck.quotaStop(e, balance: facts.balance?.dollarsLeft,
                              next: run.map { "top up, then `darkroom run resume \($0)`" } ?? "top up, then send it again")
    }
}
