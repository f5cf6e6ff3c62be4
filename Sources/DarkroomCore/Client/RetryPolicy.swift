import Foundation

/// When a failed call is tried again, as a pure function of the failure and the
/// attempt number. Randomness (jitter) comes in as an argument so tests are exact.
public struct RetryPolicy: Sendable, Equatable {
    /// How many times a call is made in all, the first included. Default 4.
    public var maxAttempts: Int
    /// The first backoff delay before jitter. Default 1 s.
    public var baseDelay: Duration
    /// The largest backoff delay. Default 30 s.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; longer ones are cut to it. Default 120 s.
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let standard = RetryPolicy()
    /// Never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// What kind of call failed, which decides what may be retried.
    public enum Call: Sendable { case query, submit }

    /// The delay before the next attempt, or nil to give up.
    ///
    /// - A query (GET) is retried on timeouts, connection failures, 429 and 5xx.
    /// - A submit is retried **only** when the connection was refused before
    ///   anything was sent (`cannotConnect`): anything else may have created a
    ///   billed task on the server.
    /// - `attempt` counts from 1 (the call that just failed).
    /// - `random` is in 0..<1; the delay is `d/2 + random * d/2` where `d` is the
    ///   capped exponential backoff, or the server's `Retry-After` (capped at `maxRetryAfter`)
    ///   when it sent one.
    public func delay(after error: APIError, attempt: Int, call: Call, random: Double) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        switch (call, error) {
        case (.submit, .cannotConnect): break
        case (.submit, _): return nil
        case (.query, .timedOut), (.query, .cannotConnect), (.query, .connectionLost), (.query, .server), (.query, .rateLimited):
            break
        default: return nil
        }
        if case let .rateLimited(_, after?) = error { return min(after, maxRetryAfter) }
        return backoff(attempt: attempt, random: random)
    }

    /// Capped exponential backoff with "equal jitter": half fixed, half random.
    public func backoff(attempt: Int, random: Double) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let raw = min(seconds(maxDelay), seconds(baseDelay) * pow(2, min(exponent, 30)))
        let r = min(max(random, 0), 1)
        return .milliseconds(Int(((raw / 2 + r * raw / 2) * 1000).rounded()))
    }

    /// Parses `Retry-After`: delta-seconds or an HTTP date (relative to `now`).
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let s = Double(v), s.isFinite, s >= 0 { return .milliseconds(Int(min(s, 86_400) * 1000)) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = f.date(from: v) else { return nil }
        return .milliseconds(Int(max(0, min(date.timeIntervalSince(now), 86_400)) * 1000))
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
