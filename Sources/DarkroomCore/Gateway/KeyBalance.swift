import Foundation

/// What is left on the key, as the gateway says it: from
/// `GET /api/usage/token/` (quota units) or, where that route is off, the
/// OpenAI-compatible pair `GET /v1/dashboard/billing/subscription` and `/usage`
/// (dollars and cents).
public struct KeyBalance: Sendable, Equatable {
    /// Dollars left; nil when the key is unlimited.
    public var dollarsLeft: Double?
    /// True for a key without a quota limit (new-api's `unlimited_quota`; its
    /// `total_available` is then meaningless and often negative).
    public var unlimited: Bool
    /// The raw quota units of `/api/usage/token/` (granted, used, available); nil from the billing pair.
    public var units: Units?
    /// Quota units in one dollar: new-api's default `QuotaPerUnit`, 500,000.
    public var unitsPerDollar: Double
    /// When the key stops working, if the server said (never: nil).
    public var expiresAt: Date?
    /// Where the numbers came from.
    public var route: GatewayRoute

    public struct Units: Sendable, Equatable {
        public var granted: Int
        public var used: Int
        public var available: Int

        public init(granted: Int, used: Int, available: Int) {
            self.granted = granted
            self.used = used
            self.available = available
        }
    }

    /// new-api's default conversion: 500,000 quota units are one dollar.
    public static let defaultUnitsPerDollar = 500_000.0

    public init(dollarsLeft: Double?, unlimited: Bool, units: Units? = nil, unitsPerDollar: Double = defaultUnitsPerDollar,
                expiresAt: Date? = nil, route: GatewayRoute) {
        self.dollarsLeft = dollarsLeft
        self.unlimited = unlimited
        self.units = units
        self.unitsPerDollar = unitsPerDollar
        self.expiresAt = expiresAt
        self.route = route
    }

    /// "$12.40 left", "unlimited", or "$0.00 left" (never a negative balance).
    public var text: String {
        guard !unlimited, let d = dollarsLeft else { return "unlimited" }
        return "\(Self.dollars(d)) left"
    }

    /// An amount of dollars: 2 decimals, 3 below ten cents; never negative.
    public static func dollars(_ d: Double) -> String {
        let v = max(0, d)
        return "$" + (v > 0 && v < 0.1 ? String(format: "%.3f", v) : String(format: "%.2f", v))
    }

    /// Reads `GET /api/usage/token/`:
    /// `{"code":true,"message":"ok","data":{"object":"token_usage","name",
    /// "total_granted","total_used","total_available","unlimited_quota",
    /// "model_limits","model_limits_enabled","expires_at"}}`. `expires_at` is
    /// Unix seconds, 0 or -1 for never. Forks add members: read tolerantly.
    public static func decodeTokenUsage(_ json: JSONValue, unitsPerDollar: Double = defaultUnitsPerDollar) -> Result<KeyBalance, GatewayAnswerError> {
        if case .bool(false)? = json["code"] ?? json["success"] {
            return .failure(.refused(TerminalSanitizer.clean(json["message"]?.stringValue ?? "code is false")))
        }
        guard let data = json["data"], let available = data["total_available"]?.doubleValue else {
            return .failure(.shape("no data.total_available"))
        }
        let unlimited: Bool = { if case .bool(true)? = data["unlimited_quota"] { return true }; return false }()
        let granted = data["total_granted"]?.doubleValue ?? 0, used = data["total_used"]?.doubleValue ?? 0
        let expires = data["expires_at"]?.doubleValue.flatMap { $0 > 0 ? Date(timeIntervalSince1970: $0) : nil }
        return .success(KeyBalance(
            dollarsLeft: unlimited ? nil : max(0, available) / unitsPerDollar, unlimited: unlimited,
            units: Units(granted: Int(granted), used: Int(used), available: Int(available)),
            unitsPerDollar: unitsPerDollar, expiresAt: expires, route: .tokenUsage))
    }

    /// Reads the OpenAI-compatible pair: `subscription` holds `hard_limit_usd`
    /// (and `access_until`, Unix seconds), `usage` holds `total_usage` in
    /// cents. A hard limit of 100,000,000 dollars or more is how an unlimited
    /// key shows there.
    public static func decodeBilling(subscription sub: JSONValue, usage use: JSONValue) -> Result<KeyBalance, GatewayAnswerError> {
        guard let limit = sub["hard_limit_usd"]?.doubleValue else { return .failure(.shape("no hard_limit_usd")) }
        guard let cents = use["total_usage"]?.doubleValue else { return .failure(.shape("no total_usage")) }
        let unlimited = limit >= 100_000_000
        let expires = sub["access_until"]?.doubleValue.flatMap { $0 > 0 ? Date(timeIntervalSince1970: $0) : nil }
        return .success(KeyBalance(dollarsLeft: unlimited ? nil : max(0, limit - cents / 100), unlimited: unlimited,
                                   expiresAt: expires, route: .subscription))
    }
}
