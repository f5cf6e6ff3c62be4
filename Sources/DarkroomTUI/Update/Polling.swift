import DarkroomCore

/// F5: ask the server again for the key's models, balance and prices; after a
/// refused key, also read the key again and resume polling.
enum Polling {
    static func resume(_ s: inout AppState) -> [Effect] {
        // Routes said to be off are tried again, and said again if still off.
        s.gatewaySaid.removeAll()
        s.gatewayAsking = true
        guard s.pollingPaused else {
            s.say("Asking the server again for the key's models, balance and prices…", transient: true)
            return [.askGateway(GatewayProbe.allRoutes), .readWildcards]
        }
        s.pollingPaused = false
        s.say("Reading the key again and resuming polling…")
        return [.resumePolling, .askGateway(GatewayProbe.allRoutes), .readWildcards]
    }
}
