import DarkroomCore
import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomSimulator

/// The simulator's gateway routes over real loopback HTTP, read by darkroom's
/// own probe and client, and compared with the bodies new-api's code sends
/// (`Tests/DarkroomCoreTests/Fixtures/gateway`).
@Suite("The simulator's gateway: keys that differ, routes that can be off or slow")
struct GatewaySimulatorTests {
    func start(_ configure: (inout SimulatorConfig) -> Void = { _ in }) async throws -> SimulatorServer {
        var c = SimulatorConfig()
        configure(&c)
        return try await SimulatorServer.start(config: c)
    }

    /// A probe that waits long enough for a debug simulator beside the whole suite on
    /// two cores (its 10 s default ran out there); these tests are about shapes, not time.
    func probe(_ sim: SimulatorServer, key: String) -> GatewayProbe {
        var p = GatewayProbe(base: sim.baseURL, apiKey: APIKey(key)!, transport: CurlTransport(proxy: .none))
        p.timeout = .seconds(60)
        return p
    }

    func client(_ sim: SimulatorServer, key: String) -> DarkroomClient {
        DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey(key)!, transport: CurlTransport(proxy: .none), retry: .none)
    }

    static func fixture(_ name: String) -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../DarkroomCoreTests/Fixtures/gateway/\(name)")
        return (try? JSONParser.parse(Array((try? Data(contentsOf: url)) ?? Data()))) ?? .null
    }

    static func keys(_ v: JSONValue?) -> Set<String> {
        guard case let .object(m)? = v else { return [] }
        return Set(m.map(\.0))
    }

    @Test("each route answers in the gateway's own shape (the members of the fixtures taken from its code)")
    func shapes() async throws {
        let sim = try await start()
        defer { Task { await sim.stop() } }
        let p = probe(sim, key: "sk-shapes-0001")
        var answers: [GatewayRoute: JSONValue] = [:]
        for route in GatewayRoute.allCases {
            guard case let .answer(json) = await p.fetch(route) else { Issue.record("\(route) did not answer"); continue }
            answers[route] = json
        }
        #expect(Self.keys(answers[.models]) == Self.keys(Self.fixture("models.json")))
        #expect(Self.keys(answers[.models]?["data"]?.arrayValue?.first) == Self.keys(Self.fixture("models.json")["data"]?.arrayValue?.first))
        #expect(Self.keys(answers[.tokenUsage]) == Self.keys(Self.fixture("token-usage.json")))
        #expect(Self.keys(answers[.tokenUsage]?["data"]) == Self.keys(Self.fixture("token-usage.json")["data"]))
        #expect(Self.keys(answers[.subscription]) == Self.keys(Self.fixture("billing-subscription.json")))
        #expect(Self.keys(answers[.usage]) == Self.keys(Self.fixture("billing-usage.json")))
        let priceItem = Self.keys(answers[.pricing]?["data"]?.arrayValue?.first)
        #expect(priceItem.isSubset(of: Self.keys(Self.fixture("pricing.json")["data"]?.arrayValue?[1])))
        #expect(Self.keys(answers[.pricing]).isSubset(of: Self.keys(Self.fixture("pricing.json"))))
    }

    @Test("a standard key: every catalog model plus one darkroom does not know; $20; the balance drops by the price when a task is made")
    func standardKey() async throws {
        let sim = try await start()
        defer { Task { await sim.stop() } }
        let key = "sk-standard-0001"
        let (facts, _) = await probe(sim, key: key).refresh(GatewayFacts(), routes: GatewayProbe.allRoutes)
        let access = ModelAccess(facts)
        #expect(access.choices.filter { $0.availability == .available }.count == 10)
        #expect(access.choices.last == ModelChoice(id: "seedream-4", model: nil, availability: .unknownToDarkroom))
        #expect(access.otherServerModels.map(\.id) == ["gpt-4o-mini"])
        #expect(facts.balance?.text == "$20.00 left")
        #expect(facts.pricing?.perImage(model: "NanoBananaPro-4K") == 0.18)
        _ = try await client(sim, key: key).submit(RequestValidator.validate(ImageRequest(model: "NanoBanana2-2K", prompt: "a fox", n: 2)).get())
        let (after, _) = await probe(sim, key: key).refresh(facts, routes: GatewayProbe.balanceRoutes)
        #expect(after.balance?.text == "$19.91 left")
        #expect(after.balance?.units?.used == 45_000)
    }

    @Test("a limited key lists three models; another is refused 403 in the gateway's words, before any task is made")
    func limitedKey() async throws {
        let sim = try await start()
        defer { Task { await sim.stop() } }
        let key = "sk-limited-0001"
        let (facts, _) = await probe(sim, key: key).refresh(GatewayFacts(), routes: [.models])
        #expect(ModelAccess(facts).choices.filter { $0.availability == .available }.map(\.id) == ["NanoBanana", "NanoBanana2-1K", "gpt-image-2"])
        #expect(ModelAccess(facts).availability(of: "NanoBananaPro-4K") == .unavailable)
        do {
            _ = try await client(sim, key: key).submit(RequestValidator.validate(ImageRequest(model: "NanoBananaPro-4K", prompt: "x")).get())
            Issue.record("a model outside the key's limits was accepted")
        } catch let ClientError.api(e) {
            guard case let .modelNotAllowed(m) = e else { Issue.record("\(e)"); return }
            #expect(m.hasPrefix("This token has no access to model NanoBananaPro-4K (request id: "))
        }
        #expect(await sim.core.allTasks.isEmpty)
    }

    @Test("a small key runs out in the middle: the gateway's token-quota refusal, then the account's")
    func smallKey() async throws {
        let sim = try await start()
        defer { Task { await sim.stop() } }
        let c = client(sim, key: "sk-small-0001")
        let request = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "x", size: "1024x1024")).get()
        _ = try await c.submit(request)
        _ = try await c.submit(request)
        var refusal: APIError?
        for _ in 0..<3 {
            do { _ = try await c.submit(request) } catch let ClientError.api(e) { refusal = e; break }
        }
        guard case .quotaExhausted(.key, 403, let m)? = refusal else { Issue.record("\(String(describing: refusal))"); return }
        #expect(m.hasPrefix("token quota is not enough, token remain quota: ＄0.020000, need quota: ＄0.040000"))
        #expect(await sim.core.allTasks.count == 2)
        let (facts, _) = await probe(sim, key: "sk-small-0001").refresh(GatewayFacts(), routes: GatewayProbe.balanceRoutes)
        #expect(facts.balance?.text == "$0.020 left")
    }

    @Test("an unlimited key reports a negative 'available' and reads 'unlimited'; an expired key is 401 '该令牌已过期' everywhere")
    func unlimitedAndExpired() async throws {
        let sim = try await start()
        defer { Task { await sim.stop() } }
        let (facts, _) = await probe(sim, key: "sk-unlimited-0001").refresh(GatewayFacts(), routes: GatewayProbe.balanceRoutes)
        #expect(facts.balance?.units?.available ?? 0 < 0)
        #expect(facts.balance?.text == "unlimited")
        let expired = await probe(sim, key: "sk-expired-0001").fetch(.tokenUsage)
        guard case let .off(why) = expired else { Issue.record("\(expired)"); return }
        #expect(why.hasPrefix("the key was refused (401: 该令牌已过期"))
        do {
            _ = try await client(sim, key: "sk-expired-0001").submit(RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "x")).get())
            Issue.record("an expired key was accepted")
        } catch let ClientError.api(e) {
            guard case .keyExpired = e else { Issue.record("\(e)"); return }
        }
    }

    @Test("--gateway off: every gateway route is 404 and judged off; tasks still work")
    func off() async throws {
        let sim = try await start { $0.gateway = .off }
        defer { Task { await sim.stop() } }
        let (facts, said) = await probe(sim, key: "sk-off-0001").refresh(GatewayFacts(), routes: GatewayProbe.allRoutes)
        #expect(facts.answers.isEmpty)
        #expect(said.count == 5)
        #expect(said[.models] == .off("not served here (404: Invalid URL (GET /v1/models))"))
        _ = try await client(sim, key: "sk-off-0001").submit(RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "x")).get())
    }

    @Test("--gateway slow: a probe with a shorter time limit gives up and keeps what it had")
    func slow() async throws {
        let sim = try await start { $0.gateway = .slow }
        defer { Task { await sim.stop() } }
        var p = probe(sim, key: "sk-slow-0001")
        p.timeout = .milliseconds(300)
        let outcome = await p.fetch(.models)
        guard case .unreachable = outcome else { Issue.record("\(outcome)"); return }
    }
}
