import DarkroomCore
import Foundation
import Testing

/// The gateway's bodies, as new-api's code sends them (Fixtures/gateway/README.md cites each file).
enum GatewayFixtures {
    static func bytes(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gateway/\(name)")
        return (try? Array(Data(contentsOf: url))) ?? []
    }

    static func json(_ name: String) -> JSONValue { (try? JSONParser.parse(bytes(name))) ?? .null }
}

@Suite("Gateway answers: read as new-api sends them")
struct GatewayAnswerTests {
    @Test("/v1/models: ids, owners and endpoint types; image models told from chat models")
    func models() throws {
        let list = try ServerModelList.decode(GatewayFixtures.json("models.json")).get()
        #expect(list.models.map(\.id) == ["gpt-4o-mini", "gpt-image-1", "claude-sonnet-4-20250514", "my-unpriced-custom-model"])
        #expect(list.models[1].endpointTypes.first == "image-generation")
        #expect(list.models.filter(\.makesImages).map(\.id) == ["gpt-image-1", "my-unpriced-custom-model"])
        #expect(list.models[2].ownedBy == "custom")
    }

    @Test("/v1/models: success false, no data, control characters and duplicates")
    func modelsBad() throws {
        #expect(ServerModelList.decode(["success": false, "message": "get user group failed"]).failure == .refused("get user group failed"))
        #expect(ServerModelList.decode(["object": "list"]).failure == .shape("no \"data\" list of models"))
        let dirty = try ServerModelList.decode(["data": [["id": "evil\u{1B}[2Jmodel"], ["id": "evil\u{1B}[2Jmodel"], ["object": "model"]]]).get()
        #expect(dirty.models.count == 1)
        #expect(!dirty.models[0].id.contains("\u{1B}"))
    }

    @Test("/api/usage/token/: quota units to dollars at 500,000 a dollar; expiry in Unix seconds")
    func tokenUsage() throws {
        let b = try KeyBalance.decodeTokenUsage(GatewayFixtures.json("token-usage.json")).get()
        #expect(b.units == KeyBalance.Units(granted: 5_000_000, used: 1_234_567, available: 3_765_433))
        #expect(abs((b.dollarsLeft ?? 0) - 7.530866) < 1e-9)
        #expect(b.text == "$7.53 left")
        #expect(b.expiresAt == Date(timeIntervalSince1970: 1_767_225_599))
        #expect(b.route == .tokenUsage)
    }

    @Test("an unlimited key is 'unlimited', never a negative or zero balance")
    func unlimited() throws {
        let b = try KeyBalance.decodeTokenUsage(GatewayFixtures.json("token-usage-unlimited.json")).get()
        #expect(b.unlimited && b.dollarsLeft == nil && b.text == "unlimited" && b.expiresAt == nil)
        let negative: JSONValue = ["code": true, "data": ["total_available": -1_000_000, "unlimited_quota": false]]
        #expect(try KeyBalance.decodeTokenUsage(negative).get().text == "$0.00 left")
    }

    @Test("the billing pair: dollars and cents; 100000000 dollars is an unlimited key")
    func billing() throws {
        let b = try KeyBalance.decodeBilling(subscription: GatewayFixtures.json("billing-subscription.json"),
                                             usage: GatewayFixtures.json("billing-usage.json")).get()
        #expect(abs((b.dollarsLeft ?? 0) - (10 - 2.469134)) < 1e-9)
        #expect(b.text == "$7.53 left")
        let unlimited = try KeyBalance.decodeBilling(subscription: ["hard_limit_usd": 100_000_000], usage: ["total_usage": 5]).get()
        #expect(unlimited.unlimited)
    }

    @Test("/api/pricing: a fixed price per call times the default group's ratio; token-priced models have no estimate")
    func pricing() throws {
        let p = try ServerPricing.decode(GatewayFixtures.json("pricing.json")).get()
        #expect(p.group == "default" && p.ratio == 1)
        #expect(p.perImage(model: "gpt-image-1") == 0.04)
        #expect(p.perImage(model: "gpt-4o-mini") == nil)
        #expect(p.whyNoPrice(model: "gpt-4o-mini").contains("by tokens"))
        #expect(p.whyNoPrice(model: "NanoBanana").contains("no price"))
        let vipOnly = try ServerPricing.decode(["success": true, "data": [["model_name": "NanoBanana", "quota_type": 1, "model_price": 0.02]],
                                                "group_ratio": ["vip": 1.5]]).get()
        #expect(vipOnly.perImage(model: "NanoBanana") == 0.03)
    }

    @Test("[prices] wins over the server; the server prices the rest; each says where it came from")
    func pricesMerge() throws {
        let server = try ServerPricing.decode(["success": true, "data": [["model_name": "NanoBanana", "quota_type": 1, "model_price": 0.02],
                                                                        ["model_name": "gpt-image-2", "quota_type": 1, "model_price": 0.05]],
                                               "group_ratio": ["default": 1]]).get()
        let prices = Prices(table: PriceTable(models: ["NanoBanana": 0.01]), server: server)
        let nano = ImageRequest(model: "NanoBanana", prompt: "x", n: 3)
        #expect(prices.perImage(nano)?.amount == 0.01 && prices.perImage(nano)?.source == .config)
        #expect(prices.estimate(nano) == 0.03)
        let gpt = ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024", n: 2)
        #expect(prices.perImage(gpt)?.source == .server(group: "default", ratio: 1))
        #expect(prices.estimate(gpt) == 0.1)
        #expect(PriceSource.server(group: "default", ratio: 1).text == "server prices")
        #expect(PriceSource.server(group: "vip", ratio: 1.5).text == "server prices ×1.5 (group vip)")
        #expect(prices.whyNoPrice(ImageRequest(model: "NanoBananaPro-4K", prompt: "x")) == "the server lists no price for NanoBananaPro-4K or in [prices]")
    }
}

@Suite("Gateway refusals: each in words, from the gateway's real bodies")
struct GatewayRefusalTests {
    func error(_ status: Int, _ file: String) -> APIError {
        APIError.from(status: status, body: GatewayFixtures.bytes(file), retryAfter: nil)
    }

    @Test("403 insufficient_user_quota: the account's quota is used up")
    func userQuota() {
        let e = error(403, "error-user-quota.json")
        guard case .quotaExhausted(.account, 403, let m) = e else { Issue.record("\(e)"); return }
        #expect(m.contains("用户额度不足"))
        #expect(e.description.hasPrefix("the account's quota is used up (403 insufficient_user_quota"))
        #expect(e.isKeyRefusal)
    }

    @Test("403 pre_consume_token_quota_failed: the key's own quota is used up")
    func tokenQuota() {
        let e = error(403, "error-token-quota.json")
        guard case .quotaExhausted(.key, 403, _) = e else { Issue.record("\(e)"); return }
        #expect(e.description.hasPrefix("this key's own quota is used up (403 pre_consume_token_quota_failed: token quota is not enough"))
    }

    @Test("403 with the model check's message (Chinese, and newer English): the key may not use the model")
    func modelNotAllowed() {
        #expect(error(403, "error-model-not-allowed.json") == .modelNotAllowed(message: "该令牌无权访问模型 gpt-image-1 (request id: 20250612103045123456789AbCdEfGh)"))
        let english = APIError.from(status: 403, body: Array(#"{"error":{"code":"","message":"This token has no access to model NanoBananaPro-8K (request id: x)","type":"new_api_error"}}"#.utf8), retryAfter: nil)
        guard case .modelNotAllowed = english else { Issue.record("\(english)"); return }
        #expect(english.description.contains("`darkroom models --refresh`"))
    }

    @Test("401 from older gateways: expired, used up and disabled told apart; newer 'Invalid token' stays a refused key")
    func keyStates() {
        guard case .keyExpired = error(401, "error-token-expired.json") else { Issue.record("expired"); return }
        guard case .quotaExhausted(.key, 401, _) = error(401, "error-token-exhausted.json") else { Issue.record("exhausted"); return }
        let disabled = APIError.from(status: 401, body: Array(#"{"error":{"code":"","message":"该令牌状态不可用 (request id: x)","type":"new_api_error"}}"#.utf8), retryAfter: nil)
        guard case .keyDisabled = disabled else { Issue.record("\(disabled)"); return }
        guard case .unauthorized = error(401, "error-invalid-token.json") else { Issue.record("invalid"); return }
        #expect(error(401, "error-token-expired.json").description.hasPrefix("the API key has expired (401: 该令牌已过期"))
    }

    @Test("a plain 403 without the gateway's marks stays 'forbidden'")
    func plainForbidden() {
        guard case .forbidden = APIError.from(status: 403, body: Array(#"{"error":{"message":"nope"}}"#.utf8), retryAfter: nil) else {
            Issue.record("plain 403"); return
        }
    }
}

@Suite("Gateway facts: probed, judged, kept per key")
struct GatewayFactsTests {
    @Test("judging answers: 2xx in shape is an answer; 404, 405 and HTML are off; 5xx and 429 are passing")
    func judge() {
        let ok = HTTPResponseData(status: 200, body: GatewayFixtures.bytes("models.json"))
        #expect(GatewayProbe.judge(.models, ok).isAnswer)
        #expect(GatewayProbe.judge(.models, HTTPResponseData(status: 404, body: Array(#"{"error":{"message":"Invalid URL (GET /v1/models)"}}"#.utf8)))
                == .off("not served here (404: Invalid URL (GET /v1/models))"))
        #expect(GatewayProbe.judge(.tokenUsage, HTTPResponseData(status: 401, body: GatewayFixtures.bytes("error-token-expired.json")))
                == .off("the key was refused (401: 该令牌已过期 (request id: 20250612103045123456789AbCdEfGh))"))
        #expect(GatewayProbe.judge(.pricing, HTTPResponseData(status: 200, body: Array("<html>login</html>".utf8)))
                == .off("the answer is not JSON (it began \"<html>login</html>\")"))
        #expect(GatewayProbe.judge(.tokenUsage, HTTPResponseData(status: 502, body: [])) == .unreachable("502"))
        #expect(GatewayProbe.judge(.tokenUsage, HTTPResponseData(status: 200, body: GatewayFixtures.bytes("models.json"))) == .off("the answer is not in the gateway's shape: no data.total_available"))
    }

    @Test("the cache file holds the answers with their times; another key's cache is not read; the key is never in it")
    func cacheRoundTrip() throws {
        var facts = GatewayFacts()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        facts.record(.models, .answer(GatewayFixtures.json("models.json")), at: t)
        facts.record(.tokenUsage, .answer(GatewayFixtures.json("token-usage.json")), at: t)
        facts.record(.pricing, .off("404: Invalid URL"), at: t)
        facts.record(.subscription, .unreachable("timed out"), at: t)
        let key = try #require(APIKey("sk-secret-key-1234567890"))
        let text = facts.json(endpoint: "https://api.example.com", key: key).serialized()
        #expect(!text.contains("sk-secret-key-1234567890") && !text.contains("secret"))
        let back = try #require(GatewayFacts.read(try JSONParser.parse(text), endpoint: "https://api.example.com", key: key))
        #expect(back == facts)
        #expect(back.models?.models.count == 4 && back.modelsAt == t && back.balance?.text == "$7.53 left")
        #expect(back.off[.pricing]?.why == "404: Invalid URL")
        let other = try #require(APIKey("sk-another-key-0000000000"))
        #expect(GatewayFacts.read(try JSONParser.parse(text), endpoint: "https://api.example.com", key: other) == nil)
        #expect(GatewayFacts.read(try JSONParser.parse(text), endpoint: "https://other.example.com", key: key) == nil)
        // A dry run knows the endpoint but not (yet) the key: the profile's facts are read.
        #expect(GatewayFacts.read(try JSONParser.parse(text), endpoint: "https://api.example.com", key: nil) == facts)
    }

    @Test("a route that turns off drops its old answer; one that fails for a while keeps it")
    func aging() {
        var facts = GatewayFacts()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        facts.record(.models, .answer(GatewayFixtures.json("models.json")), at: t)
        facts.record(.models, .unreachable("timed out"), at: t.addingTimeInterval(60))
        #expect(facts.modelsAt == t)
        facts.record(.models, .off("404"), at: t.addingTimeInterval(120))
        #expect(facts.models == nil && facts.off[.models]?.why == "404")
    }

    @Test("the routes sit under the API's root, with or without /v1 in the base URL")
    func urls() {
        #expect(GatewayRoute.tokenUsage.url(base: URL(string: "https://api.example.com/v1/")!).absoluteString == "https://api.example.com/api/usage/token/")
        #expect(GatewayRoute.models.url(base: URL(string: "https://api.example.com")!).absoluteString == "https://api.example.com/v1/models")
    }
}

extension Result {
    var failure: Failure? { if case let .failure(e) = self { return e }; return nil }
}

@Suite("Budget: the config's limits and the check")
struct BudgetTests {
    @Test("max_run_cost and balance_warning are read as dollars; a wrong value names the key; they are known keys")
    func config() throws {
        let file = try ConfigFile.parse("max_run_cost = 2.5\nbalance_warning = 1\n")
        #expect(file.budget == Budget(maxRunCost: 2.5, balanceWarning: 1))
        #expect(file.warnings.isEmpty)
        #expect(Budget().warningThreshold == 1)
        #expect(throws: ConfigError.invalidFile("max_run_cost must be a number of dollars, 0 or more (e.g. max_run_cost = 2.50)")) {
            try ConfigFile.parse("max_run_cost = \"two\"\n")
        }
        #expect(throws: ConfigError.invalidFile("balance_warning must be a number of dollars, 0 or more (e.g. balance_warning = 2.50)")) {
            try ConfigFile.parse("balance_warning = -1\n")
        }
    }

    @Test("over the limit, over the balance, both, or neither; unknown costs and unlimited keys are not checked")
    func check() {
        let balance = KeyBalance(dollarsLeft: 0.5, unlimited: false, route: .tokenUsage)
        #expect(BudgetCheck.problem(cost: 0.4, budget: Budget(maxRunCost: 1), balance: balance) == nil)
        #expect(BudgetCheck.problem(cost: 2, budget: Budget(maxRunCost: 1), balance: nil) == "estimated at $2.00, over max_run_cost ($1.00)")
        #expect(BudgetCheck.problem(cost: 2, budget: Budget(maxRunCost: 1), balance: balance)
                == "estimated at $2.00, over max_run_cost ($1.00) and over the key's balance ($0.50 left)")
        #expect(BudgetCheck.problem(cost: nil, budget: Budget(maxRunCost: 1), balance: balance) == nil)
        #expect(BudgetCheck.problem(cost: 99, budget: Budget(), balance: KeyBalance(dollarsLeft: nil, unlimited: true, route: .tokenUsage)) == nil)
        #expect(BudgetCheck.remaining(inMessage: "用户额度不足, 剩余额度: ＄0.000000 (request id: x)") == 0)
        #expect(BudgetCheck.remaining(inMessage: "token quota is not enough, token remain quota: ＄0.020000, need quota: ＄0.040000") == 0.02)
        #expect(BudgetCheck.remaining(inMessage: "no amount here") == nil)
    }
}
