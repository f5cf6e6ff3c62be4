import Foundation

/// The routes of the gateway around the task API (a new-api deployment) that
/// darkroom asks about the key: what it may call, what is left, what it costs.
/// None is on the vendor's page; a deployment may switch any of them off, so
/// each is probed and its absence is an answer too (see `GatewayFacts`).
public enum GatewayRoute: String, CaseIterable, Sendable, Equatable {
    /// `GET /v1/models`: the models this key may call (OpenAI's list shape).
    case models = "/v1/models"
    /// `GET /api/usage/token/`: this key's quota, in quota units.
    case tokenUsage = "/api/usage/token/"
    /// `GET /v1/dashboard/billing/subscription`: the hard limit, in dollars.
    case subscription = "/v1/dashboard/billing/subscription"
    /// `GET /v1/dashboard/billing/usage`: what was used, in cents.
    case usage = "/v1/dashboard/billing/usage"
    /// `GET /api/pricing`: each model's price per call or ratio, and group ratios.
    case pricing = "/api/pricing"

    /// The route's URL under `base` (the API's root; a trailing `/v1` is tolerated, as for tasks).
    public func url(base: URL) -> URL {
        var s = base.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        if s.hasSuffix("/v1") { s.removeLast(3) }
        return URL(string: s + rawValue) ?? base
    }

    /// "GET /v1/models", as messages and `--json` name it.
    public var label: String { "GET \(rawValue)" }
}
