/// Which misbehaviours the simulator shows, each with a rate from 0 (never) to 1
/// (always). All are off by default.
public struct FaultProfile: Sendable, Equatable {
    /// Answers 500, 502 or 503 with a gateway error body (before any task is created).
    public var serverError = 0.0
    /// Answers 429 with the gateway's "saturated" message and no `Retry-After`.
    public var rateLimit = 0.0
    /// Answers 429 with `Retry-After: 1`.
    public var rateLimitRetryAfter = 0.0
    /// Waits `slowDelay` before answering.
    public var slow = 0.0
    public var slowDelay: Duration = .seconds(3)
    /// Closes the connection halfway through the answer. On a submit this happens
    /// after the task was created, like a real network failure would.
    public var drop = 0.0
    /// Answers 200 with an HTML page instead of JSON.
    public var notJSON = 0.0
    /// Writes statuses as other gateways do: `QUEUED`, `IN_PROGRESS`, `running`, `SUCCESS`, `completed`, `FAILURE`.
    public var synonymStatus = 0.0
    /// Sends progress as a number (50) or a bare string ("50") instead of "50%".
    public var numericProgress = 0.0
    /// Adds fields the page does not describe.
    public var extraFields = 0.0
    /// With n > 1, puts all result URLs comma-joined in `result_url` instead of `metadata.result_urls`.
    public var commaJoinedResults = 0.0
    /// The task is forgotten a while after submit and then answers `task_not_exist`.
    public var vanish = 0.0
    /// The task ends failed (besides prompts holding the fail marker).
    public var taskFailure = 0.0
    /// Result files answer 404 this long after the task finished; nil keeps them.
    public var resultTTL: Duration? = nil

    public init() {}

    /// The profile names `darkroom simulator --faults` accepts.
    public static let names = ["none", "shapes", "flaky", "chaos"]

    /// A named profile, or a list like `server_error=0.2,drop=0.05,result_ttl=30`
    /// (keys as the property names in snake case; `slow_delay` and `result_ttl` in seconds).
    public static func parse(_ spec: String) throws(FaultSpecError) -> FaultProfile {
        var p = FaultProfile()
        switch spec.lowercased() {
        case "", "none": return p
        case "shapes":
            p.synonymStatus = 0.5; p.numericProgress = 0.5; p.extraFields = 0.5; p.commaJoinedResults = 0.5
            return p
        case "flaky":
            p.serverError = 0.08; p.rateLimit = 0.04; p.rateLimitRetryAfter = 0.04; p.slow = 0.05; p.slowDelay = .seconds(2)
            p.drop = 0.03; p.notJSON = 0.03; p.synonymStatus = 0.3; p.numericProgress = 0.3; p.extraFields = 0.3
            p.commaJoinedResults = 0.3; p.taskFailure = 0.1
            return p
        case "chaos":
            p.serverError = 0.2; p.rateLimit = 0.1; p.rateLimitRetryAfter = 0.1; p.slow = 0.1; p.slowDelay = .seconds(4)
            p.drop = 0.1; p.notJSON = 0.1; p.synonymStatus = 0.5; p.numericProgress = 0.5; p.extraFields = 0.5
            p.commaJoinedResults = 0.5; p.vanish = 0.05; p.taskFailure = 0.2; p.resultTTL = .seconds(120)
            return p
        default: break
        }
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let value = Double(kv[1]), value >= 0 else { throw FaultSpecError(item: String(item)) }
            let rate = min(value, 1)
            switch kv[0] {
            case "server_error": p.serverError = rate
            case "rate_limit": p.rateLimit = rate
            case "rate_limit_retry_after": p.rateLimitRetryAfter = rate
            case "slow": p.slow = rate
            case "slow_delay": p.slowDelay = .milliseconds(Int(value * 1000))
            case "drop": p.drop = rate
            case "not_json": p.notJSON = rate
            case "synonym_status": p.synonymStatus = rate
            case "numeric_progress": p.numericProgress = rate
            case "extra_fields": p.extraFields = rate
            case "comma_joined_results": p.commaJoinedResults = rate
            case "vanish": p.vanish = rate
            case "task_failure": p.taskFailure = rate
            case "result_ttl": p.resultTTL = .milliseconds(Int(value * 1000))
            default: throw FaultSpecError(item: String(item))
            }
        }
        return p
    }
}

public struct FaultSpecError: Error, Sendable, CustomStringConvertible {
    public let item: String
    public var description: String {
        "cannot read fault \"\(item)\"; use one of \(FaultProfile.names.joined(separator: ", ")) or a list like server_error=0.2,drop=0.05 (keys: server_error, rate_limit, rate_limit_retry_after, slow, slow_delay, drop, not_json, synonym_status, numeric_progress, extra_fields, comma_joined_results, vanish, task_failure, result_ttl)"
    }
}
