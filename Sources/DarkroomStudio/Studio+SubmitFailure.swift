import DarkroomCore
import DarkroomHistory

/// How a failed submit is recorded: "submission unknown" unless it is certain
/// that no byte of it reached the server.
extension Studio {
    /// Whether a failed submit may have created a task. It is certainly refused
    /// only when no byte reached the server (no connection was made, a local
    /// file could not be read) or the server answered 4xx, or said the account
    /// cannot use the model; anything else (timeouts, broken connections, 5xx,
    /// answers that cannot be read) may have created a billed task.
    public static func mayExist(_ e: ClientError) -> Bool {
        switch e {
        case .invalidReference, .invalidTaskID: return false
        case let .api(a):
            switch a {
            case .cannotConnect, .modelUnavailable: return false
            case .unauthorized, .forbidden, .badRequest, .taskNotFound, .endpointNotFound, .rateLimited: return false
            case .quotaExhausted, .modelNotAllowed, .keyExpired, .keyDisabled: return false
            case let .unexpectedStatus(status, _): return !(400...499).contains(status)
            case .server, .malformedResponse, .timedOut, .connectionLost: return true
            }
        }
    }

    /// Why a submit that certainly created nothing failed.
    static func failure(_ e: ClientError) -> SubmitFailure {
        switch e {
        case .api(.cannotConnect): return .unreachable
        case .invalidReference: return .invalidReference
        default: return .refused
        }
    }
}
