import DarkroomCore
import DarkroomStudio
import DarkroomTUI
import Foundation

/// The gateway's facts for the TUI: what the profile's cache holds is posted
/// at once (the first frame never waits for the server), then the routes are
/// asked in the background and their answers posted and kept.
extension StudioHolder {
    /// Posts the cached facts of the current profile, then asks `routes`.
    func askGateway(_ routes: [GatewayRoute], cache: GatewayCache?, postCached: Bool = false) async {
        let studio = self.studio
        let key = await studio.apiKey
        let cached = cache?.load(profile: studio.profile, endpoint: studio.endpoint, key: key) ?? lastFacts
        if postCached, !cached.isEmpty { inbox.post(.gatewayAnswered(GatewaySnapshot(cached), problems: [:])) }
        let (facts, said) = await studio.askGateway(routes, from: cached)
        // A profile switched meanwhile: these answers are the old profile's.
        guard self.studio === studio else { return }
        lastFacts = facts
        try? cache?.save(facts, profile: studio.profile, endpoint: studio.endpoint, key: key)
        var problems: [String: String] = [:]
        for (route, outcome) in said {
            switch outcome {
            case .answer: break
            case let .off(why): problems[route.label] = why
            case let .unreachable(why): problems[route.label] = "no answer (\(why))"
            }
        }
        // The billing pair stands in for the token route: not a problem when the token route answered.
        if facts.balance?.route == .tokenUsage { problems[GatewayRoute.subscription.label] = nil; problems[GatewayRoute.usage.label] = nil }
        if facts.balance?.route == .subscription { problems[GatewayRoute.tokenUsage.label] = nil }
        inbox.post(.gatewayAnswered(GatewaySnapshot(facts), problems: problems))
    }
}
