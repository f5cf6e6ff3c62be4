import DarkroomCore
import Foundation

/// An HTTP request as the simulator sees it (header names lower-cased).
public struct SimRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]
    public init(method: String, path: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }
}

/// The simulator's answer, with the misbehaviour the transport should add.
public struct SimResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// Wait this long before answering.
    public var delay: Duration?
    /// Send only this many bytes of the body, then close the connection.
    public var dropAfterBytes: Int?

    public var json: JSONValue? { try? JSONParser.parse(body) }
}

/// The simulator's logic, free of sockets: it answers `SimRequest`s the way the
/// vendor's gateway would (see `docs/API.md`), with time taken from `now`
/// so tests can move it by hand.
public actor SimulatorCore {
    public let config: SimulatorConfig
    private let now: @Sendable () -> Date
    private var rng: SeededRandom
    private var tasks: [String: SimulatedTask] = [:]
    private var order: [String] = []
    private var pictures: [String: [UInt8]] = [:]
    private var gateway = SimulatedGateway()
    /// The picture each image2image task was made from (its first upload).
    private var references: [String: [UInt8]] = [:]
    /// Requests to the gateway's routes (models, usage, billing, pricing), for tests.
    public private(set) var gatewayCount = 0
    /// Where result files are served from, e.g. `http://127.0.0.1:5000`.
    public private(set) var baseURL = "http://127.0.0.1"
    /// Counts of requests by route, for tests and benchmarks.
    public private(set) var submitCount = 0
    public private(set) var queryCount = 0
    /// Result files served (200 answers), for tests that check each is fetched once.
    public private(set) var fileCount = 0

    public init(config: SimulatorConfig = SimulatorConfig(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.now = now
        self.rng = SeededRandom(seed: config.seed)
    }

    public func setBaseURL(_ url: String) { baseURL = url }

    /// Every task created so far, oldest first.
    public var allTasks: [SimulatedTask] { order.compactMap { tasks[$0] } }

    public func handle(_ r: SimRequest) -> SimResponse {
        let path = r.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? r.path
        let parts = path.split(separator: "/").map(String.init)
        if let route = GatewayRoute(rawValue: path) ?? (path == "/api/usage/token" ? .tokenUsage : nil) {
            return gatewayRoute(route, r)
        }
        if parts.count >= 3, parts[0] == "v1", parts[1] == "images", parts[2] == "tasks" {
            guard let key = authorize(r) else {
                return gatewayError(401, "Invalid token (the API key is missing, wrong or expired)", code: "")
            }
            if let refusal = gateway.refusal(key: key) { return authError(401, refusal) }
            if parts.count == 3 {
                guard r.method == "POST" else { return methodNotAllowed(allow: "POST", "method not allowed; use POST to submit") }
                return withFaults(isSubmit: true) { submit(r, key: key) }
            }
            if parts.count == 4 {
                guard r.method == "GET" else { return methodNotAllowed(allow: "GET", "method not allowed; use GET to query") }
                return withFaults(isSubmit: false) { query(parts[3].removingPercentEncoding ?? parts[3]) }
            }
        }
        if parts.count == 3, parts[0] == "files" {
            guard r.method == "GET" else { return methodNotAllowed(allow: "GET", "method not allowed; files are read with GET") }
            return file(taskID: parts[1], name: parts[2])
        }
        if parts.isEmpty {
            guard r.method == "GET" else { return methodNotAllowed(allow: "GET", "method not allowed") }
            // The counters let a benchmark in another process count what a client asked.
            return SimResponse(status: 200, headers: ["content-type": "text/plain; charset=utf-8"],
                               body: Array(("darkroom simulator: POST /v1/images/tasks, GET /v1/images/tasks/{task_id}\nserved: \(submitCount) submits, \(queryCount) queries, \(fileCount) files\n" + uploadsText).utf8))
        }
        return gatewayError(404, "Invalid URL (\(r.method) \(path))", code: "")
    }

    /// The gateway's own routes, as new-api serves them (see `SimulatedGateway`).
    private func gatewayRoute(_ route: GatewayRoute, _ r: SimRequest) -> SimResponse {
        gatewayCount += 1
        var response: SimResponse
        if config.gateway == .off {
            response = gatewayError(404, "Invalid URL (\(r.method) \(route.rawValue))", code: "")
        } else if r.method != "GET" {
            response = methodNotAllowed(allow: "GET", "method not allowed")
        } else if route == .pricing {
            response = json(200, SimulatedGateway.pricing())
        } else if let key = authorize(r) {
            if let refusal = gateway.refusal(key: key) {
                response = authError(401, refusal)
            } else {
                switch route {
                case .models: response = json(200, gateway.models(key: key))
                case .tokenUsage: response = json(200, gateway.tokenUsage(key: key))
                case .subscription: response = json(200, gateway.subscription(key: key))
                case .usage: response = json(200, gateway.usage(key: key))
                case .pricing: response = json(200, SimulatedGateway.pricing())
                }
            }
        } else {
            response = authError(401, "Invalid token")
        }
        if config.gateway == .slow { response.delay = .seconds(5) }
        return response
    }

    /// "uploaded: task_x sha256 ..." per task with uploaded pictures, newest last (the
    /// demo's end-to-end test checks the bytes that arrived from another process).
    private var uploadsText: String {
        order.compactMap { id in tasks[id].flatMap { $0.uploads.isEmpty ? nil : "uploaded: \(id) sha256 \($0.uploads.joined(separator: " "))\n" } }
            .suffix(20).joined()
    }

    /// 405 with the `Allow` header RFC 9110 requires, naming the methods the resource takes.
    private func methodNotAllowed(allow: String, _ message: String) -> SimResponse {
        var r = gatewayError(405, message, code: "")
        r.headers["allow"] = allow
        return r
    }

    // MARK: - Auth and faults

    private func authorize(_ r: SimRequest) -> String? {
        guard let h = r.headers["authorization"], h.hasPrefix("Bearer ") else { return nil }
        let key = String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        if let required = config.apiKey { return key == required ? key : nil }
        return key.hasPrefix("sk-") && key.count > 3 ? key : nil
    }

    private func chance(_ rate: Double) -> Bool { rate > 0 && rng.unit() < rate }

    private func withFaults(isSubmit: Bool, _ body: () -> SimResponse) -> SimResponse {
        let f = config.faults
        let delay: Duration? = chance(f.slow) ? f.slowDelay : nil
        var response: SimResponse
        if chance(f.serverError) {
            let status = [500, 502, 503][Int(rng.next() % 3)]
            response = status == 502
                ? SimResponse(status: 502, headers: ["content-type": "text/html"], body: Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8))
                : gatewayError(status, "upstream error: do request failed (simulated \(status))", code: "upstream_error")
        } else if chance(f.rateLimit) {
            response = gatewayError(429, "当前分组上游负载已饱和，请稍后再试 (the upstream of this group is saturated, try again later)", code: "")
        } else if chance(f.rateLimitRetryAfter) {
            response = gatewayError(429, "rate limit exceeded, retry later", code: "rate_limit_exceeded")
            response.headers["retry-after"] = "1"
        } else if !isSubmit, chance(f.notJSON) {
            response = SimResponse(status: 200, headers: ["content-type": "text/html"],
                                   body: Array("<!DOCTYPE html><html><head><title>Maintenance</title></head><body>back soon</body></html>".utf8))
        } else {
            response = body()
            if (200...299).contains(response.status), chance(f.drop) {
                response.dropAfterBytes = max(1, response.body.count / 2)
            }
        }
        response.delay = delay
        return response
    }

    // MARK: - Submit

    private func submit(_ r: SimRequest, key: String) -> SimResponse {
        if r.body.count > config.maxBodyBytes {
            return gatewayError(413, "request body too large", code: "request_body_too_large")
        }
        submitCount += 1
        let fields: SubmitFields
        switch SubmitFields.read(contentType: r.headers["content-type"] ?? "", body: r.body) {
        case let .success(f): fields = f
        case let .failure(e): return gatewayError(400, e.message, code: "invalid_request")
        }
        if config.quotaExhausted {
            return gatewayError(403, "用户额度不足, 剩余额度: ＄0.000000", code: "insufficient_user_quota")
        }
        if let m = fields.model, config.deniedModels.contains(m) {
            return gatewayError(503, "No available channel for model \(m) under group default (distributor)", code: "model_not_found")
        }
        let checked: SubmitFields.Checked
        switch fields.check() {
        case let .success(c): checked = c
        case let .failure(e): return gatewayError(e.status, e.message, code: e.code)
        }
        if let refused = gateway.admit(key: key, model: checked.model, n: checked.n, charge: !willFail(checked.prompt)) {
            return refused.code.isEmpty ? authError(refused.status, refused.message) : gatewayError(refused.status, refused.message, code: refused.code)
        }
        let task = createTask(checked)
        return json(200, render(task, bare: true))
    }

    private func createTask(_ c: SubmitFields.Checked) -> SimulatedTask {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let id = "task_" + String((0..<24).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        let speed = max(config.speed, 0.001)
        let q = lerp(config.queueSeconds, rng.unit()) / speed
        let run = lerp(config.runSeconds, rng.unit()) / speed
        var outcome = SimulatedTask.Outcome.succeed
        if willFail(c.prompt) {
            outcome = .fail(reason: "the prompt was rejected by the content policy (simulated: it contains \(config.failMarker))")
        } else if chance(config.faults.taskFailure) {
            outcome = .fail(reason: "upstream generation failed: internal error (simulated)")
        }
        let vanish: Double? = chance(config.faults.vanish) ? q + run * 0.3 : nil
        var task = SimulatedTask(id: id, model: c.model, prompt: c.prompt, taskType: c.taskType, n: c.n, aspect: c.aspect,
                                 createdAt: now(), queuedFor: q, runsFor: run, outcome: outcome, vanishesAfter: vanish)
        task.format = c.format
        task.uploads = c.uploads
        task.imageURLs = c.imageURLs
        if let first = c.firstUpload { references[id] = first }
        tasks[id] = task
        order.append(id)
        return task
    }

    private func willFail(_ prompt: String) -> Bool {
        !config.failMarker.isEmpty && prompt.lowercased().contains(config.failMarker.lowercased())
    }

    private func lerp(_ r: ClosedRange<Double>, _ t: Double) -> Double { r.lowerBound + (r.upperBound - r.lowerBound) * t }

    // MARK: - Query

    private func query(_ id: String) -> SimResponse {
        queryCount += 1
        guard let task = tasks[id], !task.isVanished(elapsed: elapsed(task)) else {
            return json(404, ["code": "task_not_exist", "message": "task_not_exist", "data": nil])
        }
        return json(200, ["code": "success", "message": "", "data": render(task, bare: false)])
    }

    private func elapsed(_ t: SimulatedTask) -> Double { now().timeIntervalSince(t.createdAt) }

    /// The task object; `bare` is how submit answers, the envelope's `data` how query does.
    private func render(_ task: SimulatedTask, bare: Bool) -> JSONValue {
        let f = config.faults
        let (status, progress) = task.state(elapsed: elapsed(task))
        var statusWord = status
        if chance(f.synonymStatus) {
            let synonyms = ["queued": ["QUEUED", "SUBMITTED", "not_start"], "processing": ["IN_PROGRESS", "running", "in_progress"],
                            "succeeded": ["SUCCESS", "completed"], "failed": ["FAILURE", "error"]][status] ?? [status]
            statusWord = synonyms[Int(rng.next() % UInt64(synonyms.count))]
        }
        let progressValue: JSONValue = chance(f.numericProgress)
            ? (rng.unit() < 0.5 ? .int(progress) : .string(String(progress))) : .string("\(progress)%")
        var members: [(String, JSONValue)] = [("task_id", .string(task.id)), ("status", .string(statusWord)), ("progress", progressValue)]
        var metadata: [(String, JSONValue)] = [("task_type", .string(task.taskType))]
        var errorValue: JSONValue = .null
        switch (status, task.outcome) {
        case ("succeeded", _):
            let urls = (0..<task.n).map { "\(baseURL)/files/\(task.id)/\($0).\(task.format.fileExtension)" }
            if task.n > 1, chance(f.commaJoinedResults) {
                members.append(("result_url", .string(urls.joined(separator: ","))))
            } else {
                members.append(("result_url", .string(urls[0])))
                if task.n > 1 { metadata.append(("result_urls", .array(urls.map { .string($0) }))) }
            }
            metadata.append(("result_count", .int(task.n)))
        case let ("failed", .fail(reason)):
            members.append(("result_url", .string("")))
            errorValue = rng.unit() < 0.5 ? .string(reason) : .object([("message", .string(reason)), ("code", "generation_failed")])
            metadata.append(("result_count", .int(0)))
        default:
            members.append(("result_url", .string("")))
            metadata.append(("result_count", .int(0)))
        }
        members.append(("metadata", .object(metadata)))
        members.append(("error", errorValue))
        if chance(f.extraFields) {
            members.append(("created_at", .int(Int(task.createdAt.timeIntervalSince1970))))
            members.append(("platform", "simulator"))
            members.append(("usage", .object([("images", .int(task.n)), ("billing", .object([("units", .double(1.5))]))])))
        }
        return .object(members)
    }

    // MARK: - Files

    private func file(taskID: String, name: String) -> SimResponse {
        let ext = "." + (tasks[taskID]?.format.fileExtension ?? "png")
        guard let task = tasks[taskID], name.hasSuffix(ext), let index = Int(name.dropLast(ext.count)), index >= 0, index < task.n else {
            return SimResponse(status: 404, headers: ["content-type": "text/plain"], body: Array("not found\n".utf8))
        }
        let e = elapsed(task)
        guard task.state(elapsed: e).status == "succeeded" else {
            return SimResponse(status: 404, headers: ["content-type": "text/plain"], body: Array("not ready\n".utf8))
        }
        if let ttl = config.faults.resultTTL, e - task.finishesAfter > Double(ttl.components.seconds) {
            return SimResponse(status: 403, headers: ["content-type": "application/xml"],
                               body: Array("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".utf8))
        }
        let key = "\(taskID)/\(index)"
        // An image2image task's pictures come visibly from its reference (tinted, framed).
        let bytes = pictures[key] ?? references[taskID].flatMap {
            ScenePainter.remix(reference: $0, prompt: task.prompt, variant: index, aspect: task.aspect, longSide: config.imageLongSide, format: task.format)
        } ?? ScenePainter.encoded(prompt: task.prompt, variant: index, aspect: task.aspect, longSide: config.imageLongSide,
                                                            format: task.format)
        pictures[key] = bytes
        fileCount += 1
        return SimResponse(status: 200, headers: ["content-type": task.format.mimeType, "cache-control": "private, max-age=86400"], body: bytes,
                           delay: config.fileDelay)
    }

    // MARK: - Bodies

    private func json(_ status: Int, _ value: JSONValue) -> SimResponse {
        SimResponse(status: status, headers: ["content-type": "application/json"], body: Array(value.serialized().utf8))
    }

    /// The gateway's middleware error shape (`abortWithOpenAiMessage`): no `param`, an empty code.
    private func authError(_ status: Int, _ message: String) -> SimResponse {
        json(status, ["error": .object([("code", ""), ("message", .string(message + " (request id: \(requestID()))")), ("type", "new_api_error")])])
    }

    private func requestID() -> String { "2026120600000000000" + String(rng.next() % 1_000_000) }

    /// The gateway's error shape for auth, routing, validation and rate limits.
    private func gatewayError(_ status: Int, _ message: String, code: String) -> SimResponse {
        json(status, ["error": .object([("message", .string(message)), ("type", "new_api_error"), ("param", ""), ("code", .string(code))])])
    }
}
