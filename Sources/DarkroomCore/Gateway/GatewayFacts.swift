import Foundation

/// What the gateway said about one profile's key, kept as the answers
/// themselves (each route's JSON with the time it came), so that a start
/// shows the last known list, balance and prices at once and a newer
/// darkroom reads an older cache with its own decoders.
///
/// How facts age: an answer is kept until a newer one replaces it; a route
/// that fails for a passing reason (timeout, 5xx, no connection) keeps its
/// last answer; a route that is off (404, 405, not the gateway's JSON) has its
/// answer dropped and is remembered as `off`, with why, so it is said once.
public struct GatewayFacts: Sendable, Equatable {
    public struct Answer: Sendable, Equatable {
        public var at: Date
        public var body: JSONValue
        public init(at: Date, body: JSONValue) { self.at = at; self.body = body }
    }

    public struct Off: Sendable, Equatable {
        public var at: Date
        public var why: String
        public init(at: Date, why: String) { self.at = at; self.why = why }
    }

    public var answers: [GatewayRoute: Answer] = [:]
    public var off: [GatewayRoute: Off] = [:]

    public init(answers: [GatewayRoute: Answer] = [:], off: [GatewayRoute: Off] = [:]) {
        self.answers = answers
        self.off = off
    }

    public var isEmpty: Bool { answers.isEmpty && off.isEmpty }

    /// The key's models, when `/v1/models` answered.
    public var models: ServerModelList? {
        answers[.models].flatMap { try? ServerModelList.decode($0.body).get() }
    }

    /// When the model list was fetched.
    public var modelsAt: Date? { models == nil ? nil : answers[.models]?.at }

    /// What is left: `/api/usage/token/` when it answered, else the billing pair.
    public var balance: KeyBalance? {
        if let a = answers[.tokenUsage], let b = try? KeyBalance.decodeTokenUsage(a.body).get() { return b }
        if let s = answers[.subscription], let u = answers[.usage], let b = try? KeyBalance.decodeBilling(subscription: s.body, usage: u.body).get() {
            return b
        }
        return nil
    }

    /// When the balance shown was fetched.
    public var balanceAt: Date? {
        guard let b = balance else { return nil }
        return b.route == .tokenUsage ? answers[.tokenUsage]?.at : answers[.usage]?.at
    }

    /// Prices, when `/api/pricing` answered.
    public var pricing: ServerPricing? {
        answers[.pricing].flatMap { try? ServerPricing.decode($0.body).get() }
    }

    public var pricingAt: Date? { pricing == nil ? nil : answers[.pricing]?.at }

    /// Records what a route did: an answer replaces the last one; `off` drops it.
    public mutating func record(_ route: GatewayRoute, _ outcome: GatewayProbe.Outcome, at: Date) {
        switch outcome {
        case let .answer(body):
            answers[route] = Answer(at: at, body: body)
            off[route] = nil
        case let .off(why):
            answers[route] = nil
            off[route] = Off(at: at, why: why)
        case .unreachable:
            break
        }
    }

    // MARK: - The cache file

    /// The file's JSON: `{"version":1,"endpoint":URL,"key":FINGERPRINT,"answers":{route:{"at":unix,"body":...}},"off":{route:{"at","why"}}}`.
    /// `key` is a fingerprint (16 hex digits of a SHA-256 of the endpoint and key), never the key.
    public func json(endpoint: Endpoint, key: APIKey) -> JSONValue {
        let a: [(String, JSONValue)] = GatewayRoute.allCases.compactMap { r in
            answers[r].map { (r.rawValue, .object([("at", .double($0.at.timeIntervalSince1970)), ("body", $0.body)])) }
        }
        let o: [(String, JSONValue)] = GatewayRoute.allCases.compactMap { r in
            off[r].map { (r.rawValue, .object([("at", .double($0.at.timeIntervalSince1970)), ("why", .string($0.why))])) }
        }
        return .object([("version", 1), ("endpoint", .string(endpoint.text)), ("key", .string(Self.fingerprint(endpoint: endpoint, key: key))),
                        ("answers", .object(a)), ("off", .object(o))])
    }

    /// The facts in a cache file's JSON, or nil when they are another server's,
    /// another key's (when `key` is known: a dry run reads them without it), or not ours.
    public static func read(_ json: JSONValue, endpoint: Endpoint, key: APIKey?) -> GatewayFacts? {
        guard json["version"]?.intValue == 1, json["endpoint"]?.stringValue == endpoint.text else { return nil }
        if let key, json["key"]?.stringValue != fingerprint(endpoint: endpoint, key: key) { return nil }
        var facts = GatewayFacts()
        for r in GatewayRoute.allCases {
            if let a = json["answers"]?[r.rawValue], let at = a["at"]?.doubleValue, let body = a["body"] {
                facts.answers[r] = Answer(at: Date(timeIntervalSince1970: at), body: body)
            }
            if let o = json["off"]?[r.rawValue], let at = o["at"]?.doubleValue, let why = o["why"]?.stringValue {
                facts.off[r] = Off(at: Date(timeIntervalSince1970: at), why: TerminalSanitizer.clean(why))
            }
        }
        return facts
    }

    /// 16 hex digits naming the pair (endpoint, key) without revealing the key.
    public static func fingerprint(endpoint: Endpoint, key: APIKey) -> String {
        var h = SHA256()
        h.update(Array("darkroom-gateway\n\(endpoint.text)\n\(key.reveal())".utf8))
        return String(h.hexDigest.prefix(16))
    }
}

/// The gateway's facts decoded once, as a screen uses them (the TUI's state
/// holds this, not the raw answers).
public struct GatewaySnapshot: Sendable, Equatable {
    public var access = ModelAccess()
    public var balance: KeyBalance?
    /// When the balance was fetched.
    public var balanceAt: Date?
    public var pricing: ServerPricing?
    /// Routes known to be off, with why.
    public var off: [GatewayRoute: String] = [:]

    public init() {}

    public init(_ facts: GatewayFacts) {
        access = ModelAccess(facts)
        balance = facts.balance
        balanceAt = facts.balanceAt
        pricing = facts.pricing
        off = facts.off.mapValues(\.why)
    }
}
