import DarkroomCore
import Foundation

/// The gateway around the task API as the simulator plays it (new-api's
/// routes and bodies, see the tests' `Fixtures/gateway/README.md`): the models a
/// key may call, its quota, the prices, and the refusals when money or
/// permission runs out. Keys differ by how they begin:
///
/// | key | may call | quota |
/// |---|---|---|
/// | `sk-limited-…` | NanoBanana, NanoBanana2-1K, gpt-image-2 | $20 |
/// | `sk-small-…` | everything | $0.10: runs out after a few pictures |
/// | `sk-unlimited-…` | everything | unlimited |
/// | `sk-demo-…` | everything but NanoBananaPro-8K | $5 |
/// | `sk-expired-…` | nothing: every route answers 401 "该令牌已过期" | - |
/// | any other `sk-…` | everything | $20 |
///
/// "Everything" is the catalog's ten models, plus `seedream-4` (an image model
/// darkroom has no rules for) and `gpt-4o-mini` (a chat model). Quota is taken
/// when a task is created (as the gateway's pre-consumption does) and not for a
/// task that will fail.
struct SimulatedGateway {
    /// new-api's `QuotaPerUnit`: 500,000 quota units are one dollar.
    static let unitsPerDollar = 500_000.0
    /// A model darkroom's catalog does not know, offered for images.
    static let extraImageModel = "seedream-4"
    static let chatModel = "gpt-4o-mini"
    /// Per call (one picture), in dollars, as `/api/pricing`'s `model_price` says.
    static let prices: [String: Double] = [
        "NanoBanana": 0.02, "NanoBanana2-0.5K": 0.015, "NanoBanana2-1K": 0.03, "NanoBanana2-2K": 0.045, "NanoBanana2-4K": 0.06,
        "NanoBananaPro-1K": 0.09, "NanoBananaPro-2K": 0.12, "NanoBananaPro-4K": 0.18, "NanoBananaPro-8K": 0.3,
        "gpt-image-2": 0.04, extraImageModel: 0.03,
    ]

    struct Account {
        var remaining: Int
        var used: Int
        var unlimited: Bool
        var models: [String]
        var limited: Bool
        var expired: Bool
    }

    private var accounts: [String: Account] = [:]

    static var allModels: [String] { Catalog.models.map(\.id) + [extraImageModel, chatModel] }

    static func newAccount(for key: String) -> Account {
        func dollars(_ d: Double) -> Int { Int(d * unitsPerDollar) }
        if key.hasPrefix("sk-limited-") {
            return Account(remaining: dollars(20), used: 0, unlimited: false, models: ["NanoBanana", "NanoBanana2-1K", "gpt-image-2"], limited: true, expired: false)
        }
        if key.hasPrefix("sk-small-") { return Account(remaining: dollars(0.1), used: 0, unlimited: false, models: allModels, limited: false, expired: false) }
        if key.hasPrefix("sk-unlimited-") { return Account(remaining: -1234, used: 0, unlimited: true, models: allModels, limited: false, expired: false) }
        if key.hasPrefix("sk-demo-") {
            return Account(remaining: dollars(5), used: 0, unlimited: false, models: allModels.filter { $0 != "NanoBananaPro-8K" }, limited: true, expired: false)
        }
        if key.hasPrefix("sk-expired-") { return Account(remaining: 0, used: 0, unlimited: false, models: [], limited: false, expired: true) }
        return Account(remaining: dollars(20), used: 0, unlimited: false, models: allModels, limited: false, expired: false)
    }

    private mutating func account(_ key: String) -> Account {
        if let a = accounts[key] { return a }
        let a = Self.newAccount(for: key)
        accounts[key] = a
        return a
    }

    /// Is `key` refused before any route runs (expired)? Returns the 401 body's message.
    mutating func refusal(key: String) -> String? {
        account(key).expired ? "该令牌已过期" : nil
    }

    /// Checks a submit against the key's models and quota and takes the quota
    /// (`charge` false for a task that will fail). Returns the gateway's refusal, or nil.
    mutating func admit(key: String, model: String, n: Int, charge: Bool) -> (status: Int, message: String, code: String)? {
        var a = account(key)
        if !a.models.contains(model) {
            return (403, "This token has no access to model \(model)", "")
        }
        let cost = Int(((Self.prices[model] ?? 0) * Double(n) * Self.unitsPerDollar).rounded())
        if !a.unlimited {
            if a.remaining <= 0 { return (403, "用户额度不足, 剩余额度: ＄\(Self.amount(a.remaining))", "insufficient_user_quota") }
            if a.remaining < cost {
                return (403, "token quota is not enough, token remain quota: ＄\(Self.amount(a.remaining)), need quota: ＄\(Self.amount(cost))",
                        "pre_consume_token_quota_failed")
            }
        }
        if charge {
            if !a.unlimited { a.remaining -= cost }
            a.used += cost
            accounts[key] = a
        }
        return nil
    }

    static func amount(_ units: Int) -> String { String(format: "%.6f", Double(units) / unitsPerDollar) }

    // MARK: - Routes

    /// `GET /v1/models` (`controller/model.go` ListModels).
    mutating func models(key: String) -> JSONValue {
        let a = account(key)
        let data: [JSONValue] = a.models.map { id in
            let image = id != Self.chatModel
            let types: [JSONValue] = image ? ["image-generation", "openai"] : ["openai", "openai-response"]
            return .object([("id", .string(id)), ("object", "model"), ("created", 1_626_777_600),
                            ("owned_by", id == Self.extraImageModel ? "custom" : "openai"), ("supported_endpoint_types", .array(types))])
        }
        return .object([("data", .array(data)), ("object", "list"), ("success", true)])
    }

    /// `GET /api/usage/token/` (`controller/token.go` GetTokenUsage).
    mutating func tokenUsage(key: String) -> JSONValue {
        let a = account(key)
        let limits: [(String, JSONValue)] = a.limited ? a.models.map { ($0, JSONValue.bool(true)) } : []
        return .object([("code", true), ("data", .object([
            ("expires_at", 0), ("model_limits", .object(limits)), ("model_limits_enabled", .bool(a.limited)),
            ("name", "simulator"), ("object", "token_usage"), ("total_available", .int(a.remaining)),
            ("total_granted", .int(a.unlimited ? a.used : a.remaining + a.used)), ("total_used", .int(a.used)),
            ("unlimited_quota", .bool(a.unlimited)),
        ])), ("message", "ok")])
    }

    /// `GET /v1/dashboard/billing/subscription` (`controller/billing.go` GetSubscription).
    mutating func subscription(key: String) -> JSONValue {
        let a = account(key)
        let amount: JSONValue = a.unlimited ? 100_000_000 : .double(Double(a.remaining + a.used) / Self.unitsPerDollar)
        return .object([("object", "billing_subscription"), ("has_payment_method", true), ("soft_limit_usd", amount),
                        ("hard_limit_usd", amount), ("system_hard_limit_usd", amount), ("access_until", 0)])
    }

    /// `GET /v1/dashboard/billing/usage`: cents.
    mutating func usage(key: String) -> JSONValue {
        .object([("object", "list"), ("total_usage", .double(Double(account(key).used) / Self.unitsPerDollar * 100))])
    }

    /// `GET /api/pricing` (`controller/pricing.go` GetPricing): no key needed.
    static func pricing() -> JSONValue {
        var data: [JSONValue] = allModels.filter { $0 != chatModel }.map { id in
            .object([("model_name", .string(id)), ("quota_type", 1), ("model_ratio", 0), ("model_price", .double(prices[id] ?? 0)),
                     ("owner_by", ""), ("completion_ratio", 0), ("enable_groups", ["default", "vip"]),
                     ("supported_endpoint_types", ["image-generation", "openai"])])
        }
        data.append(.object([("model_name", .string(chatModel)), ("quota_type", 0), ("model_ratio", 0.075), ("model_price", 0),
                             ("owner_by", ""), ("completion_ratio", 4), ("enable_groups", ["default", "vip"]),
                             ("supported_endpoint_types", ["openai", "openai-response"])]))
        return .object([("success", true), ("data", .array(data)), ("group_ratio", ["default": 1, "vip": 0.8]),
                        ("usable_group", ["default": "默认分组", "vip": "vip分组"])])
    }
}
