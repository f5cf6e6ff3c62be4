/// Every failure of a call to the API that a user must tell apart. Messages from
/// the server are kept, sanitized for the terminal.
public enum APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the key is wrong, revoked or expired.
    case unauthorized(message: String)
    /// 403: the account may not do this, or has no quota left.
    case forbidden(message: String)
    /// The gateway's quota is used up: the account's (403 `insufficient_user_quota`),
    /// or this key's own limit (403 `pre_consume_token_quota_failed`, or an older
    /// gateway's 401 "该令牌额度已用尽"). Nothing was created.
    case quotaExhausted(QuotaScope, status: Int, message: String)
    /// 403: this key's model limits do not include the model ("该令牌无权访问模型 X",
    /// "This token has no access to model X"). Nothing was created.
    case modelNotAllowed(message: String)
    /// 401: an older gateway says the key has expired ("该令牌已过期"). Newer ones say
    /// only "Invalid token" (`unauthorized`) for expired, used-up and disabled keys alike.
    case keyExpired(message: String)
    /// 401: an older gateway says the key is disabled ("该令牌状态不可用").
    case keyDisabled(message: String)
    /// 503 `model_not_found`: the account cannot call this model.
    case modelUnavailable(message: String)
    /// 400 or 413: the server refused the request itself.
    case badRequest(status: Int, message: String)
    /// 404 or `task_not_exist`: the server does not know the task.
    case taskNotFound(message: String)
    /// 404 on a submit: no task endpoint at this URL (the base URL is wrong). Nothing was created.
    case endpointNotFound(url: String, message: String)
    /// 429, with the server's `Retry-After` when it sent one.
    case rateLimited(message: String, retryAfter: Duration?)
    /// 5xx.
    case server(status: Int, message: String)
    /// Any other status the API does not describe.
    case unexpectedStatus(status: Int, message: String)
    /// A body that is not the JSON we expect; `preview` holds its first bytes, sanitized.
    case malformedResponse(status: Int, reason: String, preview: String)
    /// No answer within the time limit. For a submit, the task may still have been created.
    case timedOut(duringSubmit: Bool)
    /// The server could not be reached; nothing was sent.
    case cannotConnect(message: String)
    /// The connection broke after the request was (maybe) sent.
    case connectionLost(message: String, duringSubmit: Bool)

    /// The HTTP status, when there was one.
    public var status: Int? {
        switch self {
        case .unauthorized, .keyExpired, .keyDisabled: return 401
        case .forbidden, .modelNotAllowed: return 403
        case let .quotaExhausted(_, s, _): return s
        case .modelUnavailable: return 503
        case let .badRequest(s, _), let .server(s, _), let .unexpectedStatus(s, _), let .malformedResponse(s, _, _): return s
        case .taskNotFound, .endpointNotFound: return 404
        case .rateLimited: return 429
        case .timedOut, .cannotConnect, .connectionLost: return nil
        }
    }

    /// One line saying what happened and what to do next.
    public var description: String {
        switch self {
        case let .unauthorized(m):
            return "the server refused the API key (401\(suffix(m))). Check DARKROOM_API_KEY or the profile's key; it may be wrong or expired"
        case let .forbidden(m):
            return "the account may not do this or has no quota left (403\(suffix(m))). Check the account's balance and model permissions"
        case let .quotaExhausted(scope, s, m):
            let code = scope == .account ? " insufficient_user_quota" : (s == 403 ? " pre_consume_token_quota_failed" : "")
            switch scope {
            case .account:
                return "the account's quota is used up (\(s)\(code)\(suffix(m))). Top up the account on the gateway's site, then send again; nothing was created"
            case .key:
                return "this key's own quota is used up (\(s)\(code)\(suffix(m))). Raise the key's limit on the gateway's site or use another key; nothing was created"
            }
        case let .modelNotAllowed(m):
            return "this key may not use this model (403\(suffix(m))). Choose a model the key may use (`darkroom models --refresh` lists them) or change the key's model limits; nothing was created"
        case let .keyExpired(m):
            return "the API key has expired (401\(suffix(m))). Renew it on the gateway's site or use another key"
        case let .keyDisabled(m):
            return "the API key is disabled (401\(suffix(m))). Enable it on the gateway's site or use another key"
        case let .modelUnavailable(m):
            // The server's message often begins with the code itself: say it once.
            let said = m.lowercased().hasPrefix("model_not_found") ? m.dropFirst("model_not_found".count).drop { $0 == ":" || $0 == " " } : Substring(m)
            return "this model is not available to the account (503 model_not_found\(suffix(String(said)))). Try another model (`darkroom models`)"
        case let .badRequest(s, m):
            let hint = s == 413 ? " The body is too large: use smaller reference images" : " Fix the request and submit again"
            return "the server refused the request (\(s)\(suffix(m))).\(hint)"
        case let .taskNotFound(m):
            return "the server does not know this task (\(m.isEmpty ? "not found" : m)). Check the id; tasks may be forgotten after a while"
        case let .endpointNotFound(url, m):
            return "the server has no task endpoint at \(url) (404\(suffix(m))). Check the base URL: it is the API's root, like https://api.example.com, without /v1/images/tasks"
        case let .rateLimited(m, after):
            let wait = after.map { " Retry after \(Int($0.components.seconds)) s" } ?? " Wait a little and try again"
            return "the server is busy or rate-limiting (429\(suffix(m))).\(wait)"
        case let .server(s, m):
            return "the server failed (\(s)\(suffix(m))). Try again later"
        case let .unexpectedStatus(s, m):
            return "the server answered with an unexpected status \(s)\(suffix(m))"
        case let .malformedResponse(s, reason, preview):
            return "the server's answer (\(s)) is not what the API returns: \(reason). It began: \(preview.isEmpty ? "(empty)" : "\"\(preview)\"")"
        case let .timedOut(submit):
            return submit
                ? "no answer from the server in time. The task may still have been created: it was not resubmitted, to avoid paying twice"
                : "no answer from the server in time. Check the base URL and the network, then try again"
        case let .cannotConnect(m):
            if m.contains("the proxy") {
                return "cannot reach the server (\(m)). Check the proxy (--proxy, the profile's proxy, HTTPS_PROXY or HTTP_PROXY); nothing was sent"
            }
            return "cannot reach the server (\(m)). Check the base URL and that the server is running"
        case let .connectionLost(m, submit):
            return submit
                ? "the connection broke during the submit (\(m)). The task may still have been created: it was not resubmitted, to avoid paying twice"
                : "the connection broke (\(m)). Try again"
        }
    }

    private func suffix(_ m: String) -> String { m.isEmpty ? "" : ": \(m)" }

    /// Whether the key, not the request, is the problem: a quota used up, a model the
    /// key may not use, an expired or disabled key (exit 77 in the CLI).
    public var isKeyRefusal: Bool {
        switch self {
        case .quotaExhausted, .modelNotAllowed, .keyExpired, .keyDisabled: return true
        default: return false
        }
    }

    /// The gateway's (new-api's) refusals of a key, by code, else by message: its
    /// auth and model checks send an empty code and a message in the deployment's
    /// language (older builds Chinese only, newer ones English by default).
    static func gatewayRefusal(status: Int, code: String, message: String) -> APIError? {
        let m = message.lowercased()
        switch code {
        case "insufficient_user_quota": return .quotaExhausted(.account, status: status, message: message)
        case "pre_consume_token_quota_failed": return .quotaExhausted(.key, status: status, message: message)
        default: break
        }
        switch status {
        case 403 where m.contains("该令牌无权访问") || m.contains("has no access to model") || m.contains("no access to any model"):
            return .modelNotAllowed(message: message)
        case 401 where m.contains("已过期") || m.contains("token has expired") || m.contains("key has expired"):
            return .keyExpired(message: message)
        case 401 where m.contains("额度已用尽") || m.contains("quota is exhausted") || m.contains("tokenstatusexhausted"):
            return .quotaExhausted(.key, status: status, message: message)
        case 401 where m.contains("状态不可用") || m.contains("status is unavailable") || m.contains("token is disabled"):
            return .keyDisabled(message: message)
        default: return nil
        }
    }

    /// Maps an HTTP error response to the error it means. Reads both error shapes:
    /// `{"code", "message", "data"}` and `{"error": {"message", "type", "code"}}`,
    /// and keeps a non-JSON body's first bytes as the message.
    public static func from(status: Int, body: [UInt8], retryAfter: Duration?) -> APIError {
        let parsed = ServerErrorBody.parse(body)
        let message = parsed.message
        let code = parsed.code.lowercased()
        if code == "task_not_exist" || code == "task_not_found" { return .taskNotFound(message: message) }
        if let gateway = gatewayRefusal(status: status, code: code, message: message) { return gateway }
        switch status {
        case 401: return .unauthorized(message: message)
        case 403: return .forbidden(message: message)
        case 404: return .taskNotFound(message: message)
        case 429: return .rateLimited(message: message, retryAfter: retryAfter)
        case 400, 413, 422: return .badRequest(status: status, message: message)
        case 503 where code == "model_not_found" || message.lowercased().contains("model_not_found"):
            return .modelUnavailable(message: message)
        case 500...599: return .server(status: status, message: message)
        default: return .unexpectedStatus(status: status, message: message)
        }
    }
}

/// Whose quota a `quotaExhausted` refusal is about.
public enum QuotaScope: String, Sendable, Equatable {
    /// The account's balance (shared by all its keys).
    case account
    /// This key's own limit.
    case key
}

/// The message and code of an error body, in either of the gateway's shapes.
public struct ServerErrorBody: Equatable, Sendable {
    public let code: String
    public let message: String

    public static func parse(_ body: [UInt8]) -> ServerErrorBody {
        guard let json = try? JSONParser.parse(body), case .object = json else {
            return ServerErrorBody(code: "", message: TerminalSanitizer.preview(of: body, limit: 200))
        }
        if let err = json["error"] {
            if case .object = err {
                return ServerErrorBody(code: text(err["code"]) ?? text(err["type"]) ?? "", message: text(err["message"]) ?? "")
            }
            if let s = err.stringValue { return ServerErrorBody(code: text(json["code"]) ?? "", message: TerminalSanitizer.clean(s)) }
        }
        return ServerErrorBody(code: text(json["code"]) ?? "", message: text(json["message"]) ?? text(json["msg"]) ?? "")
    }

    private static func text(_ v: JSONValue?) -> String? {
        switch v {
        case let .string(s)?: return TerminalSanitizer.clean(s)
        case let .int(i)?: return String(i)
        default: return nil
        }
    }
}
