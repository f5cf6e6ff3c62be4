import Foundation

/// One thing that varies in a run ("prompt", "model", "size", ...) and its values.
public struct RunAxis: Equatable, Sendable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// The requests of a run as they will be sent, each checked by the core, with
/// what the run costs in billable units: the one planner behind the CLI's
/// `submit` (a matrix), `batch` and `rerun --run`, and the TUI's Ctrl-S on a
/// matrix and `r` in the comparison grid.
public struct RunPlan: Equatable, Sendable {
    public var requests: [ImageRequest]
    /// Why a model got a value it was not given ("NanoBanana takes no size: 1536x1024 sent as 3:2").
    public var notes: [String]
    /// What varies between the requests, in order, each with its values.
    public var axes: [RunAxis]
    /// Kept in history with the run: the prompt and the choices, or the file.
    public var expression: String
    /// Each request's problems from the core (empty: valid), in order.
    public var problems: [[ValidationProblem]]
    /// Each request as the core would send it, in order; nil where it has problems.
    public var valid: [ValidRequest?]
    /// Billable units of all the requests (`PriceTable.billableUnits`).
    public var units: Double
    /// "≈ $0.96 from server prices" once `priced` by prices
    /// that cover every request; nil otherwise.
    public var cost: String?
    /// The estimate behind `cost`, in the prices' currency; nil when not every request has a price.
    public var costAmount: Double?

    /// Checks every request (`inspect` opens local reference files; by default as
    /// a submit would) and counts the units.
    public init(_ requests: [ImageRequest], notes: [String] = [], axes: [RunAxis], expression: String,
                inspect: (String) -> Result<LocalImage, ValidationProblem> = RequestValidator.inspectFile) {
        self.requests = requests
        self.notes = notes
        self.axes = axes
        self.expression = expression
        let checked = requests.map { RequestValidator.validate($0, inspect: inspect) }
        valid = checked.map { try? $0.get() }
        problems = checked.map { result in
            if case let .failure(f) = result { return f.problems }
            return []
        }
        units = requests.reduce(0) { $0 + PriceTable.billableUnits($1) }
    }

    /// True when every request is valid.
    public var isValid: Bool { problems.allSatisfy(\.isEmpty) }

    /// The plan with its cost, as `prices` puts it (the config's `[prices]` first,
    /// then the server's), and where the prices came from.
    public func priced(_ prices: Prices) -> RunPlan {
        var p = self
        p.cost = nil
        p.costAmount = nil
        let each = requests.map { r in prices.perImage(r).map { (amount: $0.amount * Double(r.n), source: $0.source) } }
        guard !each.isEmpty, !each.contains(where: { $0 == nil }) else { return p }
        let priced = each.compactMap { $0 }
        let total = priced.reduce(0) { $0 + $1.amount }
        var sources: [PriceSource] = []
        for x in priced where !sources.contains(x.source) { sources.append(x.source) }
        p.costAmount = total
        p.cost = "≈ \(prices.format(total, source: sources.count == 1 ? sources[0] : nil)) from " + sources.map(\.text).joined(separator: " and ")
        return p
    }

    /// " (2 prompts × 2 models)", or empty.
    public var axesText: String { RequestMatrix.describe(axes.map { ($0.name, $0.values) }, requests: requests.count) }

    /// "12 requests (3 prompts × 2 models × 2 sizes), 24 billable units", and the cost when priced.
    public var summary: String {
        "\(requests.count) request\(requests.count == 1 ? "" : "s")\(axesText), \(CountText.units(units)) billable unit\(units == 1 ? "" : "s")"
            + (cost.map { ", " + $0 } ?? "")
    }
}

/// Why a composer's matrix makes no plan (a broken `{a|b}`, too many requests).
public struct RunPlanFailure: Error, Equatable, Sendable {
    public var message: String

    public init(message: String) { self.message = message }
}
