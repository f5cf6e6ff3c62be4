import DarkroomCore

/// Cost awareness without invented prices: an estimate from the user's price
/// table or the server's prices (saying which), else billable units (images
/// times the tier's weight).
enum Cost {
    /// "≈ $0.080 (2 × $0.040) from server prices" or "2 images × 2K = 4 billable units".
    static func describe(_ r: ImageRequest, prices: Prices) -> String {
        if let (each, source) = prices.perImage(r) {
            return "≈ \(prices.format(each * Double(r.n), source: source))" + (r.n > 1 ? " (\(r.n) × \(prices.format(each, source: source)))" : "")
                + " from \(source.text)"
        }
        let units = PriceTable.billableUnits(r)
        let tier = r.size.flatMap(Catalog.size(named:))?.tier ?? Catalog.model(r.model)?.tier
        let what = "\(r.n) image\(r.n == 1 ? "" : "s") × \(tier?.rawValue ?? "base")"
        return "\(what) = \(CountText.units(units)) billable unit\(units == 1 ? "" : "s")" + (prices.whyNoPrice(r).map { " (\($0))" } ?? "")
    }

    static func count(_ s: inout AppState, _ r: ImageRequest) {
        s.sessionUnits += PriceTable.billableUnits(r)
        if let total = s.sessionCost, let each = s.prices.estimate(r) { s.sessionCost = total + each } else { s.sessionCost = nil }
    }

    /// A request of a run is counted when the server gives it an id (its submit
    /// was not counted by `.submitted`); one seen only after it was sent is
    /// another session's.
    static func runRequestChanged(_ s: inout AppState, _ r: TaskRecord) {
        guard r.runID != nil else { return }
        if r.taskID == nil {
            if r.state.isUnsent || r.state == .intent { s.awaitingSubmit.insert(r.localID) } else { s.awaitingSubmit.remove(r.localID) }
        } else if s.awaitingSubmit.remove(r.localID) != nil {
            count(&s, r.request)
        }
    }

    /// The status bar's running total: money when every submit had a price, else units.
    static func sessionTotal(_ s: AppState) -> String? {
        guard s.sessionUnits > 0 else { return nil }
        if !s.prices.isEmpty, let total = s.sessionCost { return "≈ \(s.prices.format(total, source: s.prices.table == nil ? nil : .config)) this session" }
        return "\(CountText.units(s.sessionUnits)) unit\(s.sessionUnits == 1 ? "" : "s") this session"
    }
}
