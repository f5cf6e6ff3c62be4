import Foundation

/// Whether an estimated cost fits the user's limit (`max_run_cost`) and the
/// key's balance. Pure: the TUI asks with its answer, the CLI refuses with it.
public enum BudgetCheck {
    /// Why `cost` (dollars, nil when unknown) is over budget, with the numbers;
    /// nil when it fits or cannot be told (no estimate, no limit, an unlimited key).
    public static func problem(cost: Double?, budget: Budget, balance: KeyBalance?) -> String? {
        guard let cost else { return nil }
        var over: [String] = []
        if overLimit(cost, budget), let limit = budget.maxRunCost { over.append("over max_run_cost (\(KeyBalance.dollars(limit)))") }
        if overBalance(cost, balance), let balance { over.append("over the key's balance (\(balance.text))") }
        guard !over.isEmpty else { return nil }
        return "estimated at \(KeyBalance.dollars(cost)), " + over.joined(separator: " and ")
    }

    /// Over `max_run_cost` (a cent's rounding is not "over").
    public static func overLimit(_ cost: Double, _ budget: Budget) -> Bool {
        budget.maxRunCost.map { cost > $0 + 1e-9 } ?? false
    }

    /// Over what a limited key has left.
    public static func overBalance(_ cost: Double, _ balance: KeyBalance?) -> Bool {
        guard let balance, !balance.unlimited, let left = balance.dollarsLeft else { return false }
        return cost > left + 1e-9
    }

    /// Said when a limit is set but the run has no price to check it against.
    public static func unpriced(budget: Budget) -> String? {
        budget.maxRunCost.map { "max_run_cost is \(KeyBalance.dollars($0)), but this run has no price (no [prices] entry and no server price for it): it was not checked" }
    }

    /// What a quota refusal means for a run, in words: "the key's quota is used up
    /// ($0.00 left): NEXT". The amount is the one the gateway's message names,
    /// else `balance` (the last known); nil when `e` is not a quota refusal.
    public static func quotaStop(_ e: APIError, balance: Double?, next: String) -> String? {
        guard case let .quotaExhausted(scope, _, message) = e else { return nil }
        let left = remaining(inMessage: message) ?? balance
        let whose = scope == .account ? "the account's quota" : "the key's quota"
        return "\(whose) is used up\(left.map { " (\(KeyBalance.dollars($0)) left)" } ?? ""): \(next)"
    }

    /// The amount in a gateway's quota message ("剩余额度: ＄0.000000",
    /// "token remain quota: ＄0.020000"): the first number after a dollar sign
    /// (full-width or not), in dollars.
    public static func remaining(inMessage m: String) -> Double? {
        guard let sign = m.firstIndex(where: { $0 == "＄" || $0 == "$" }) else { return nil }
        let digits = m[m.index(after: sign)...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
        return Double(digits)
    }
}
