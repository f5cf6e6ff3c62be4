import Foundation

/// Asks the gateway's routes about a key, one `GET` each, with a short time
/// limit and no retries: these answers are nice to have, so a slow or absent
/// route costs a few seconds in the background and is never waited for by the
/// first frame or a submit.
public struct GatewayProbe: Sendable {
    /// What one route did.
    public enum Outcome: Sendable, Equatable {
        /// A JSON answer in the route's shape.
        case answer(JSONValue)
        /// The route is off or is not the gateway's (404, 405, an HTML page, another
        /// shape), or the key may not use it (401, 403): darkroom goes on without it.
        case off(String)
        /// It could not be asked now (no connection, no answer in time, 5xx): the
        /// last answer stays.
        case unreachable(String)
    }

    public let base: URL
    public let apiKey: APIKey
    public let transport: any HTTPTransport
    /// Each route's time limit. Default 10 s.
    public var timeout: Duration = .seconds(10)

    public init(base: URL, apiKey: APIKey, transport: any HTTPTransport) {
        self.base = base
        self.apiKey = apiKey
        self.transport = transport
    }

    /// Asks one route and checks its answer's shape.
    public func fetch(_ route: GatewayRoute) async -> Outcome {
        var request = HTTPRequestData(
            method: "GET", url: route.url(base: base),
            headers: [("Authorization", "Bearer \(apiKey.reveal())"), ("Accept", "application/json"),
                      ("User-Agent", "darkroom/\(DarkroomVersion.current)")],
            timeout: timeout)
        request.maxResponseBytes = 16 << 20
        let response: HTTPResponseData
        do { response = try await transport.send(request) } catch let e as TransportError {
            return .unreachable(e.description)
        } catch {
            return .unreachable(TerminalSanitizer.clean(String(describing: error)))
        }
        return Self.judge(route, response)
    }

    /// What a response means for a route (pure; tests feed it the gateway's bodies).
    public static func judge(_ route: GatewayRoute, _ response: HTTPResponseData) -> Outcome {
        let status = response.status
        guard (200...299).contains(status) else {
            let said = ServerErrorBody.parse(response.body).message
            let detail = said.isEmpty ? "" : ": \(said)"
            switch status {
            case 429, 500...599: return .unreachable("\(status)\(detail)")
            case 401, 403: return .off("the key was refused (\(status)\(detail))")
            default: return .off("not served here (\(status)\(detail))")
            }
        }
        let json: JSONValue
        switch GatewayAnswerError.parse(response.body) {
        case let .success(j): json = j
        case let .failure(e): return .off(e.description)
        }
        let checked: GatewayAnswerError?
        switch route {
        case .models: checked = ServerModelList.decode(json).failure
        case .tokenUsage: checked = KeyBalance.decodeTokenUsage(json).failure
        case .subscription: checked = json["hard_limit_usd"]?.doubleValue == nil ? .shape("no hard_limit_usd") : nil
        case .usage: checked = json["total_usage"]?.doubleValue == nil ? .shape("no total_usage") : nil
        case .pricing: checked = ServerPricing.decode(json).failure
        }
        if let checked { return .off(checked.description) }
        return .answer(json)
    }

    /// Asks `routes` at once (each with its own time limit) and records each
    /// outcome in `facts`. The balance's second source (the billing pair) is
    /// asked only when `/api/usage/token/` gives no answer.
    public func refresh(_ facts: GatewayFacts, routes: [GatewayRoute], now: @escaping @Sendable () -> Date = { Date() }) async -> (GatewayFacts, [GatewayRoute: Outcome]) {
        var facts = facts
        var said: [GatewayRoute: Outcome] = [:]
        let pair: Set<GatewayRoute> = [.subscription, .usage]
        func ask(_ batch: [GatewayRoute]) async {
            let answers = await withTaskGroup(of: (GatewayRoute, Outcome).self) { group in
                for route in batch { group.addTask { (route, await self.fetch(route)) } }
                var out: [(GatewayRoute, Outcome)] = []
                for await a in group { out.append(a) }
                return out
            }
            for (route, outcome) in answers {
                facts.record(route, outcome, at: now())
                said[route] = outcome
            }
        }
        await ask(routes.filter { !pair.contains($0) })
        let tokenAnswered = said[.tokenUsage].map(\.isAnswer) ?? (facts.answers[.tokenUsage] != nil)
        if !tokenAnswered { await ask(routes.filter { pair.contains($0) }) }
        return (facts, said)
    }

    /// The routes behind the balance, in the order they are tried.
    public static let balanceRoutes: [GatewayRoute] = [.tokenUsage, .subscription, .usage]
    /// Everything, as a start or F5 asks.
    public static let allRoutes: [GatewayRoute] = [.models, .tokenUsage, .subscription, .usage, .pricing]
}

extension GatewayProbe.Outcome {
    public var isAnswer: Bool { if case .answer = self { return true }; return false }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? { if case let .failure(e) = self { return e }; return nil }
}
