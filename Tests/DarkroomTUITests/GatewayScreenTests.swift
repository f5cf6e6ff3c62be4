import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// The gateway's facts on the screen, driven in memory: the models the key may
/// use in the pickers, the balance, prices and the budget question.
@Suite("The gateway on the screen")
struct GatewayScreenTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A snapshot as the simulator's `sk-limited-` key gets it, with a balance and prices.
    static func snapshot(dollars: Double = 12.4, unlimited: Bool = false) -> GatewaySnapshot {
        var facts = GatewayFacts()
        let models: JSONValue = ["data": .array(["NanoBanana", "NanoBanana2-1K", "gpt-image-2"].map { .object([("id", .string($0))]) }), "success": true]
        facts.record(.models, .answer(models), at: t0)
        let units = Int(dollars * 500_000)
        facts.record(.tokenUsage, .answer(["code": true, "data": ["total_available": .int(unlimited ? -5 : units), "total_used": 0, "total_granted": .int(units),
                                                                  "unlimited_quota": .bool(unlimited)]]), at: t0)
        facts.record(.pricing, .answer(["success": true, "data": [["model_name": "gpt-image-2", "quota_type": 1, "model_price": 0.04],
                                                                  ["model_name": "NanoBanana2-1K", "quota_type": 1, "model_price": 0.03]],
                                        "group_ratio": ["default": 1]]), at: t0)
        return GatewaySnapshot(facts)
    }

    @Test("a model the key may not use is marked in the picker and is a problem beside the field; Ctrl-S sends nothing")
    func unavailableModel() {
        let d = Driver()
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        d.state.focus = .compose
        d.state.composer.field = .model
        d.press(.enter)
        let families = d.state.overlay?.picker?.options.map(\.label) ?? []
        #expect(families.contains("NanoBanana Pro  (not for this key)"), "\(families)")
        d.press(.escape)
        d.state.composer.setFamily(.nanoBanana2)
        d.state.composer.field = .tier
        d.press(.enter)
        let tiers = d.state.overlay?.picker?.options.map(\.label) ?? []
        #expect(tiers == ["0.5K  (not for this key)", "1K", "2K  (not for this key)", "4K  (not for this key)"], "\(tiers)")
        d.press(.escape)
        d.state.composer.set(.tier, "4K")
        d.state.composer.field = .prompt
        d.type("a fox")
        #expect(d.screen.contains("! this key may not use"), "\(d.screen)")
        #expect(d.state.composer.problems(includingEmptyPrompt: true).first?.message == "this key may not use NanoBanana2-4K (the server's list of its models leaves it out; F5 asks again)")
        d.press(.ctrl("s"))
        #expect(!d.effects.contains { if case .submit = $0 { return true }; return false })
        #expect(d.state.message?.hasPrefix("Not sent: this key may not use NanoBanana2-4K") == true)
    }

    @Test("the balance sits at the right of the hint bar; under balance_warning it is a warning; unlimited says so")
    func balance() {
        let d = Driver(width: 120, height: 40)
        #expect(!d.screen.contains("left"))
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        let last = d.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix("$12.40 left"), "\(last)")
        #expect(GatewayUpdates.balance(d.state)?.low == false)
        d.state.budget.balanceWarning = 20
        #expect(GatewayUpdates.balance(d.state)?.low == true)
        d.send(.gatewayAnswered(Self.snapshot(unlimited: true), problems: [:]))
        #expect(d.screen.split(separator: "\n").last?.hasSuffix("unlimited") == true)
    }

    @Test("the cost line and the status total come from the server's prices, saying so")
    func serverPrices() {
        let d = Driver()
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        #expect(d.screen.contains("Cost      ≈ $0.040 from server prices"), "\(d.screen)")
        #expect(Cost.sessionTotal(d.state) == nil)
        d.send(.submitted(Records.make(1, .queued, prompt: "a fox", model: "gpt-image-2", size: "1024x1024")))
        #expect(Cost.sessionTotal(d.state) == "≈ $0.040 this session")
        d.state.prices.table = PriceTable(currency: "$", gptImage2: ["*": 0.5])
        #expect(d.screen.contains("Cost      ≈ $0.50 from [prices]"))
    }

    @Test("over max_run_cost or the balance, Ctrl-S asks with the numbers; y sends, n does not")
    func overBudget() {
        let d = Driver()
        d.send(.gatewayAnswered(Self.snapshot(dollars: 0.05), problems: [:]))
        d.state.budget.maxRunCost = 0.01
        d.state.focus = .compose
        d.type("a fox")
        d.press(.ctrl("s"))
        #expect(d.state.message == "Send anyway? (y/n) This request is estimated at $0.040, over max_run_cost ($0.010)")
        d.press(.char("n"))
        #expect(d.effects.isEmpty)
        d.state.budget.maxRunCost = nil
        d.type("es")
        d.state.composer.set(.n, "2")
        d.press(.ctrl("s"))
        #expect(d.state.message == "Send anyway? (y/n) This request is estimated at $0.080, over the key's balance ($0.050 left)")
        d.press(.char("y"))
        #expect(d.effects.contains { if case .submit = $0 { return true }; return false })
    }

    @Test("a run over budget is asked about once, with its size and the numbers")
    func runOverBudget() {
        let d = Driver()
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        d.state.budget.maxRunCost = 0.05
        d.state.focus = .compose
        d.type("a {red|green} fox")
        d.press(.ctrl("s"))
        #expect(d.state.message == "Send anyway? (y/n) This run of 2 requests is estimated at $0.080, over max_run_cost ($0.050)")
        d.press(.char("y"))
        #expect(d.effects.contains { if case .sendRun = $0 { return true }; return false })
    }

    @Test("a task that ends asks the balance again, at most once a minute; not when the server never gave one")
    func balanceAfterTaskEnds() {
        let d = Driver()
        d.state.clock = Self.t0
        d.send(.tasksLoaded([Records.make(1, .processing, prompt: "a"), Records.make(2, .processing, prompt: "b")], replace: true))
        d.send(.taskChanged(Records.make(1, .succeeded, prompt: "a")))
        #expect(!d.effects.contains(.askGateway(GatewayProbe.balanceRoutes)), "no balance known: nothing to refresh")
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        d.send(.taskChanged(Records.make(2, .succeeded, prompt: "b")))
        #expect(d.effects.filter { $0 == .askGateway(GatewayProbe.balanceRoutes) }.count == 1)
        d.send(.tasksLoaded([Records.make(3, .processing, prompt: "c")], replace: false))
        d.state.clock = Self.t0.addingTimeInterval(30)
        d.send(.taskChanged(Records.make(3, .failed, prompt: "c")))
        #expect(d.effects.filter { $0 == .askGateway(GatewayProbe.balanceRoutes) }.count == 1, "within the minute: not yet")
        d.state.clock = Self.t0.addingTimeInterval(61)
        d.send(.tick)
        #expect(d.effects.filter { $0 == .askGateway(GatewayProbe.balanceRoutes) }.count == 2, "the minute is over: asked once more")
    }

    @Test("a route that does not answer is said once, in the log, not in the status bar")
    func saidOnce() {
        let d = Driver()
        d.send(.notice("hello", isError: false))
        d.send(.gatewayAnswered(GatewaySnapshot(), problems: ["GET /api/pricing": "not served here (404: Invalid URL)"]))
        d.send(.gatewayAnswered(GatewaySnapshot(), problems: ["GET /api/pricing": "not served here (404: Invalid URL)"]))
        #expect(d.state.message == "hello")
        let said = d.state.log.filter { $0.text.contains("GET /api/pricing") }
        #expect(said.count == 1)
        #expect(said.first?.text == "GET /api/pricing: not served here (404: Invalid URL); costs come from [prices], else billable units")
    }

    @Test("F5 says when the server's answer is in, and what it said")
    func f5Answered() {
        let d = Driver()
        d.press(.f(5))
        #expect(d.state.message?.hasPrefix("Asking the server again") == true)
        d.send(.gatewayAnswered(Self.snapshot(), problems: ["GET /api/pricing": "no answer (timed out)"]))
        #expect(d.state.message == "The server answered: 3 image models for this key, $12.40 left, prices for 2 models (1 route did not: L)")
        #expect(d.state.log.last?.text == d.state.message)
        d.send(.gatewayAnswered(Self.snapshot(), problems: [:]))
        #expect(d.state.log.filter { $0.text.hasPrefix("The server answered") }.count == 1, "only the answer F5 asked for is said")
    }

    @Test("snapshots: the balance and a marked tier at 80x24 and 120x40")
    func snapshots() {
        for (w, h) in [(80, 24), (120, 40)] {
            let d = Driver(width: w, height: h)
            d.send(.gatewayAnswered(Self.snapshot(dollars: 0.5), problems: [:]))
            d.state.budget.balanceWarning = 1
            d.state.composer.setFamily(.nanoBananaPro)
            d.state.focus = .compose
            d.state.composer.field = .tier
            d.press(.enter)
            assertSnapshot(d.screen, named: "gateway-\(w)x\(h)")
        }
    }
}
