import Foundation

/// The API client: submits tasks and queries them, with typed errors, safe retries
/// and sanitized text. It holds no state between calls and prints nothing.
public struct DarkroomClient: Sendable {
    /// The API's base URL, e.g. `https://api.example.com` (a trailing `/v1` is tolerated).
    public let baseURL: URL
    public private(set) var apiKey: APIKey
    public private(set) var transport: any HTTPTransport
    public private(set) var retry: RetryPolicy
    /// Time limit of a query and of a JSON submit. Default 60 s.
    public var requestTimeout: Duration = .seconds(60)
    /// Time limit of a multipart upload. Default 300 s.
    public var uploadTimeout: Duration = .seconds(300)
    /// Whether the client abandons a call itself when its time limit (plus 5 s)
    /// passes, whatever the transport does. Default true; the poller turns it
    /// off for its queries because it abandons them itself, with one watchdog.
    public var abandonsAtDeadline = true
    private let sleep: @Sendable (Duration) async throws -> Void
    private let deadlineSleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable () -> Double
    private let makeIdempotencyKey: @Sendable () -> String

    /// - Parameters:
    ///   - sleep: waits between retries; tests pass one that records the delays.
    ///   - random: jitter source in 0..<1.
    ///   - deadlineSleep: waits out a request's time limit (plus 5 s), after which the
    ///     client abandons the request even if the transport never returns.
    public init(baseURL: URL, apiKey: APIKey, transport: any HTTPTransport = CurlTransport(),
                retry: RetryPolicy = .standard,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                idempotencyKey: @escaping @Sendable () -> String = { UUID().uuidString },
                deadlineSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.baseURL = baseURL
        tasksURL = Self.tasksURL(base: baseURL)
        taskURLPrefix = tasksURL.absoluteString + "/"
        self.apiKey = apiKey
        self.transport = transport
        self.retry = retry
        self.sleep = sleep
        self.deadlineSleep = deadlineSleep
        self.random = random
        self.makeIdempotencyKey = idempotencyKey
    }

    /// The same client with another retry policy (the poller uses `.none`: it backs off itself).
    public func with(retry policy: RetryPolicy) -> DarkroomClient {
        var c = self
        c.retry = policy
        return c
    }

    /// The client as the poller uses it: no retries (the poller backs off per task)
    /// and no time limit of its own (the poller's watchdog abandons late queries).
    /// Same transport, same connections.
    public var forPolling: DarkroomClient {
        var c = with(retry: .none)
        c.abandonsAtDeadline = false
        return c
    }

    /// The same client with another key (read afresh after a 401/403).
    public func with(apiKey key: APIKey) -> DarkroomClient {
        var c = self
        c.apiKey = key
        return c
    }

    /// `{base}/v1/images/tasks`, worked out once.
    public let tasksURL: URL
    /// The same, with a `/` on the end: a query's URL is this and the id.
    private let taskURLPrefix: String

    public static func tasksURL(base: URL) -> URL {
        var s = base.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        if s.hasSuffix("/v1") { s.removeLast(3) }
        return URL(string: s + "/v1/images/tasks") ?? base
    }

    /// The HTTP request a submit sends (also used for `--curl` and `--dry-run`).
    /// Throws `ReferenceFileError` when a local reference file cannot be read.
    public func submitRequest(_ r: ValidRequest, boundary: String = MultipartWriter.randomBoundary()) throws -> HTTPRequestData {
        let body = try RequestEncoder.body(r, boundary: boundary)
        let isUpload: Bool = { if case .files = r.references { return true }; return false }()
        return HTTPRequestData(
            method: "POST", url: tasksURL,
            headers: [
                ("Authorization", "Bearer \(apiKey.reveal())"),
                ("Content-Type", body.contentType),
                ("Accept", "application/json"),
                ("Idempotency-Key", makeIdempotencyKey()),
                ("User-Agent", "darkroom/\(DarkroomVersion.current)"),
            ],
            body: body.bytes, timeout: isUpload ? uploadTimeout : requestTimeout)
    }

    /// Submits a validated request and returns the task the server created.
    ///
    /// Never retried once the request may have reached the server (a second
    /// submit would be a second billed task); only a refused connection is retried.
    public func submit(_ r: ValidRequest) async throws -> ImageTask {
        let request: HTTPRequestData
        do { request = try submitRequest(r) } catch let e as ReferenceFileError {
            throw ClientError.invalidReference(e)
        }
        return try await perform(request, call: .submit)
    }

    /// Queries a task by id. Retried on timeouts, connection failures, 429 and 5xx.
    ///
    /// The id is used exactly as the server gave it: whatever it holds (`/`, `..`,
    /// spaces, non-ASCII) is percent-encoded into one path segment, so a task is
    /// always asked about, never declared lost for its id.
    public func task(id: String) async throws -> ImageTask {
        guard !id.isEmpty, id.utf8.count <= 1024, let url = URL(string: taskURLPrefix + Self.pathSegment(id)) else {
            throw ClientError.invalidTaskID(TerminalSanitizer.clean(id))
        }
        let request = HTTPRequestData(
            method: "GET", url: url,
            headers: [("Authorization", "Bearer \(apiKey.reveal())"), ("Accept", "application/json"),
                      ("User-Agent", "darkroom/\(DarkroomVersion.current)")],
            timeout: requestTimeout)
        return try await perform(request, call: .query)
    }

    /// Letters, digits, `-`, `_` and `.` only (most ids): nothing to trim or escape.
    static func isPlain(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200 && id.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
        }
    }

    /// A task id as one URL path segment: every byte but letters, digits and
    /// `-_.~` percent-encoded, and an id of dots only (`.`, `..`) encoded whole so
    /// it can never climb the path.
    static func pathSegment(_ id: String) -> String {
        if isPlain(id), id.contains(where: { $0 != "." }) { return id }
        let dotsOnly = id.allSatisfy { $0 == "." }
        var out = ""
        for b in id.utf8 {
            let keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x7E
                || (b == 0x2E && !dotsOnly)
            out += keep ? String(UnicodeScalar(b)) : String(format: "%%%02X", b)
        }
        return out
    }

    /// Whether a task id a person typed can be one: not empty, at most 1,024
    /// bytes, and no control characters. (Ids from the server are used as they are.)
    public static func isPlausibleTaskID(_ id: String) -> Bool {
        if isPlain(id) { return true }
        return !id.isEmpty && id.utf8.count <= 1024 && !id.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// A result link as the client keeps it: relative links (`/files/x.png`,
    /// `//cdn/x.png`, `files/x.png`) resolved against the base URL; absolute
    /// ones, of any scheme, unchanged.
    public func resolveResultLink(_ link: String) -> String {
        let hasScheme = link.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil
        guard !hasScheme else { return link }
        var base = baseURL.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        return URL(string: link, relativeTo: URL(string: base))?.absoluteURL.absoluteString ?? link
    }

    private func perform(_ request: HTTPRequestData, call: RetryPolicy.Call) async throws -> ImageTask {
        var attempt = 1
        while true {
            var error: APIError
            do {
                let transport = self.transport
                let response = abandonsAtDeadline
                    ? try await Deadline.run(request.timeout + .seconds(5), sleep: deadlineSleep) { try await transport.send(request) }
                    : try await transport.send(request)
                switch Self.interpret(response) {
                case var .success(task):
                    task.resultURLs = task.resultURLs.map(resolveResultLink)
                    return task
                case let .failure(e): error = e
                }
            } catch let e as TransportError {
                error = Self.map(e, call: call)
            } catch is Deadline.Exceeded {
                error = Self.map(.timedOut, call: call)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw ClientError.api(Self.map(.other(TerminalSanitizer.clean(String(describing: error))), call: call))
            }
            // A 404 to a POST says the URL is wrong, not that a task is unknown.
            if call == .submit, case let .taskNotFound(m) = error { error = .endpointNotFound(url: request.url.absoluteString, message: m) }
            guard let delay = retry.delay(after: error, attempt: attempt, call: call, random: random()) else {
                throw ClientError.api(error)
            }
            try await sleep(delay)
            attempt += 1
        }
    }

    static func map(_ e: TransportError, call: RetryPolicy.Call) -> APIError {
        switch e {
        case .timedOut: return .timedOut(duringSubmit: call == .submit)
        case let .cannotConnect(m): return .cannotConnect(message: m)
        case let .connectionLost(m): return .connectionLost(message: m, duringSubmit: call == .submit)
        case let .other(m): return .connectionLost(message: m, duringSubmit: call == .submit)
        case let .tooLarge(status, limit):
            return .malformedResponse(status: status, reason: "the answer is larger than \(ByteCount.text(limit)), far more than a task takes; it was not read further",
                                      preview: "")
        }
    }

    /// Turns a response into a task or the error it stands for.
    public static func interpret(_ response: HTTPResponseData) -> Result<ImageTask, APIError> {
        let retryAfter = RetryPolicy.parseRetryAfter(response.headers["retry-after"])
        guard (200...299).contains(response.status) else {
            return .failure(APIError.from(status: response.status, body: response.body, retryAfter: retryAfter))
        }
        let decoded: ImageTask
        do { decoded = try TaskDecoder.decode(response.body) } catch {
            switch error {
            case let .envelopeError(code, message):
                let body = JSONValue.object([("code", .string(code)), ("message", .string(message))]).serialized()
                return .failure(APIError.from(status: code.lowercased().contains("not_exist") ? 404 : 400,
                                              body: Array(body.utf8), retryAfter: nil))
            case let .malformed(reason):
                return .failure(.malformedResponse(status: response.status, reason: reason,
                                                   preview: TerminalSanitizer.preview(of: response.body)))
            }
        }
        return .success(decoded)
    }
}

/// Why a client call failed.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The API answered with an error, or could not be reached.
    case api(APIError)
    /// A local reference file could not be read when sending; nothing was sent.
    case invalidReference(ReferenceFileError)
    /// The task id cannot be a task id; nothing was sent.
    case invalidTaskID(String)

    public var description: String {
        switch self {
        case let .api(e): return e.description
        case let .invalidReference(e): return e.description
        case let .invalidTaskID(id): return "\"\(id)\" is not a task id (an id is not empty and holds no control characters)"
        }
    }
}

public enum DarkroomVersion {
    public static let current = "0.1.0"
}
