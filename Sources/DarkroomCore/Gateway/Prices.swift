import Foundation

/// Where an estimate's prices came from.
public enum PriceSource: Sendable, Equatable {
    /// The config's `[prices]` table (it wins over the server).
    case config
    /// The gateway's `/api/pricing`, with the group whose ratio was applied.
    case server(group: String?, ratio: Double)

    /// "[prices]", "server prices", or "server prices ×1.5 (group vip)" when a group ratio other than 1 applies.
    public var text: String {
        switch self {
        case .config: return "[prices]"
        case let .server(group, ratio):
            if ratio == 1 { return "server prices" }
            return "server prices ×" + CountText.units(ratio) + (group.map { " (group \($0))" } ?? "")
        }
    }
}

/// Every price darkroom knows: the user's `[prices]` table first, then the
/// gateway's `/api/pricing`. A request is priced by the first that names its
/// model; with neither, estimates fall back to billable units.
public struct Prices: Sendable, Equatable {
    public var table: PriceTable?
    public var server: ServerPricing?

    public init(table: PriceTable? = nil, server: ServerPricing? = nil) {
        self.table = table
        self.server = server
    }

    /// True when neither source has a price.
    public var isEmpty: Bool { (table?.isEmpty ?? true) && (server?.models.isEmpty ?? true) }

    /// The price of one image of `r`, and where it came from.
    public func perImage(_ r: ImageRequest) -> (amount: Double, source: PriceSource)? {
        if let table, let p = table.perImage(r) { return (p, .config) }
        if let server, let p = server.perImage(model: r.model) { return (p, .server(group: server.group, ratio: server.ratio)) }
        return nil
    }

    /// The estimated cost of `r` (per image times n), or nil.
    public func estimate(_ r: ImageRequest) -> Double? { perImage(r).map { $0.amount * Double(r.n) } }

    /// An amount in the table's currency (the server's prices are dollars).
    public func format(_ amount: Double, source: PriceSource? = nil) -> String {
        if source == .config, let table { return table.format(amount) }
        return KeyBalance.dollars(amount)
    }

    /// Why `r` has no price, for the cost line; nil when it has one.
    public func whyNoPrice(_ r: ImageRequest) -> String? {
        guard perImage(r) == nil else { return nil }
        if let server { return server.whyNoPrice(model: r.model) + (table == nil ? "" : " or in [prices]") }
        return table == nil ? nil : "no price for \(r.model) in [prices]"
    }
}
