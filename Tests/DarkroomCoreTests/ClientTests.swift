import Foundation
import Synchronization
import Testing
@testable import DarkroomCore

/// An in-memory transport: answers from a script and records what was sent.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case respond(HTTPResponseData)
        case fail(TransportError)
    }
    private let state: Mutex<(steps: [Step], sent: [HTTPRequestData])>

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var sent: [HTTPRequestData] { state.withLock { $0.sent } }

    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let step: Step? = state.withLock { s in
            s.sent.append(request)
            return s.steps.isEmpty ? nil : s.steps.removeFirst()
        }
        switch step {
        case let .respond(r)?: return r
        case let .fail(e)?: throw e
        case nil: throw TransportError.other("script exhausted")
        }
    }

    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Step {
        .respond(HTTPResponseData(status: status, headers: headers, body: Array(body.utf8)))
    }
}

/// Records the delays the client asked to wait, without waiting.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void { { d in self.delays.withLock { $0.append(d) } } }
}

@Suite("Client with an in-memory transport")
struct ClientTests {
    let queued = #"{"task_id":"task_1","status":"queued","progress":"0%","result_url":"","metadata":{"task_type":"text2image"},"error":null}"#

    func client(_ t: ScriptedTransport, _ s: SleepRecorder = SleepRecorder()) -> DarkroomClient {
        DarkroomClient(baseURL: URL(string: "https://api.example.com")!, apiKey: APIKey("sk-secret-key-1234")!, transport: t,
                       sleep: s.sleep, random: { 0.5 })
    }

    func request() throws -> ValidRequest {
        try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "a cat", size: "1024x1024")).get()
    }

    @Test("submits JSON with the key only in Authorization and a fresh Idempotency-Key each time")
    func headers() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(200, queued), ScriptedTransport.json(200, queued)])
        let c = client(t)
        let task = try await c.submit(try request())
        _ = try await c.submit(try request())
        #expect(task.id == "task_1")
        let sent = t.sent
        #expect(sent[0].url.absoluteString == "https://api.example.com/v1/images/tasks")
        #expect(sent[0].method == "POST")
        #expect(sent[0].header("authorization") == "Bearer sk-secret-key-1234")
        #expect(sent[0].header("content-type") == "application/json")
        let k1 = sent[0].header("idempotency-key"), k2 = sent[1].header("idempotency-key")
        #expect(k1 != nil && k1 != k2)
        let body = String(decoding: sent[0].body ?? [], as: UTF8.self)
        #expect(!body.contains("sk-secret"))
        #expect(sent[0].timeout == .seconds(60))
    }

    @Test("tolerates a base URL that already ends in /v1")
    func baseV1() {
        #expect(DarkroomClient.tasksURL(base: URL(string: "https://h.example/v1/")!).absoluteString == "https://h.example/v1/images/tasks")
        #expect(DarkroomClient.tasksURL(base: URL(string: "https://h.example/proxy")!).absoluteString == "https://h.example/proxy/v1/images/tasks")
    }

    @Test("never retries a submit that may have reached the server", arguments: [
        ScriptedTransport.Step.fail(.timedOut), .fail(.connectionLost("reset")),
        ScriptedTransport.json(500, "{}"), ScriptedTransport.json(429, "{}", headers: ["Retry-After": "1"]),
    ])
    func submitNotRetried(step: ScriptedTransport.Step) async throws {
        let t = ScriptedTransport([step, ScriptedTransport.json(200, queued)])
        await #expect(throws: ClientError.self) { try await client(t).submit(try request()) }
        #expect(t.sent.count == 1)
    }

    @Test("retries a submit whose connection was refused before anything was sent")
    func submitRefusedRetried() async throws {
        let t = ScriptedTransport([.fail(.cannotConnect("refused")), ScriptedTransport.json(200, queued)])
        let s = SleepRecorder()
        let task = try await client(t, s).submit(try request())
        #expect(task.id == "task_1")
        #expect(t.sent.count == 2)
        #expect(s.recorded.count == 1)
    }

    @Test("retries a query on 5xx, timeouts and dropped connections, with growing waits")
    func queryRetried() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(502, "bad gateway"), .fail(.timedOut), .fail(.connectionLost("x")),
                                   ScriptedTransport.json(200, #"{"code":"success","message":"","data":\#(queued)}"#)])
        let s = SleepRecorder()
        let task = try await client(t, s).task(id: "task_1")
        #expect(task.status == .queued)
        #expect(t.sent.count == 4)
        #expect(t.sent[0].url.absoluteString == "https://api.example.com/v1/images/tasks/task_1")
        #expect(s.recorded == [.milliseconds(750), .milliseconds(1500), .milliseconds(3000)])
    }

    @Test("honours Retry-After on a 429, capped at 120 s")
    func retryAfter() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(429, "{}", headers: ["Retry-After": "7"]),
                                   ScriptedTransport.json(429, "{}", headers: ["retry-after": "600"]),
                                   ScriptedTransport.json(200, queued)])
        let s = SleepRecorder()
        _ = try await client(t, s).task(id: "task_1")
        #expect(s.recorded == [.seconds(7), .seconds(120)])
    }

    @Test("gives up after the last attempt with the typed error")
    func givesUp() async throws {
        let t = ScriptedTransport(Array(repeating: ScriptedTransport.json(503, #"{"error":{"message":"busy"}}"#), count: 10))
        await #expect(throws: ClientError.api(.server(status: 503, message: "busy"))) { try await client(t).task(id: "task_1") }
        #expect(t.sent.count == 4)
    }

    @Test("does not retry 401, 403 or 404")
    func notRetried() async throws {
        for status in [401, 403, 404, 400] {
            let t = ScriptedTransport([ScriptedTransport.json(status, "{}"), ScriptedTransport.json(200, queued)])
            await #expect(throws: ClientError.self) { try await client(t).task(id: "task_1") }
            #expect(t.sent.count == 1)
        }
    }

    @Test("reports a 200 whose body is not JSON, with its first bytes")
    func malformed200() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(200, "<html>\u{1B}[2Jmaintenance</html>")])
        do {
            _ = try await client(t).task(id: "task_1")
            Issue.record("expected an error")
        } catch let ClientError.api(.malformedResponse(status, _, preview)) {
            #expect(status == 200)
            #expect(preview == "<html>maintenance</html>")
        }
    }

    @Test("an empty id is refused unsent; any other id the server gave is asked about, as one percent-encoded path segment")
    func oddIDs() async throws {
        let empty = ScriptedTransport([])
        await #expect(throws: ClientError.invalidTaskID("")) { try await client(empty).task(id: "") }
        #expect(empty.sent.isEmpty)
        let cases = [("../../etc/x", "..%2F..%2Fetc%2Fx"), ("..", "%2E%2E"), (".", "%2E"), ("a b", "a%20b"), ("x\u{1B}[2J", "x%1B%5B2J"),
                     ("täsk/1", "t%C3%A4sk%2F1"), ("task_000001", "task_000001"), ("v1.2", "v1.2")]
        for (id, segment) in cases {
            let t = ScriptedTransport([ScriptedTransport.json(200, #"{"task_id":"x","status":"queued"}"#)])
            _ = try await client(t).with(retry: .none).task(id: id)
            #expect(t.sent.first?.url.absoluteString == "https://api.example.com/v1/images/tasks/" + segment)
        }
    }
}

@Suite("Retry policy and poll schedule")
struct ScheduleTests {
    @Test("backs off exponentially with equal jitter, capped")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(30))
        #expect(p.backoff(attempt: 1, random: 0) == .milliseconds(500))
        #expect(p.backoff(attempt: 1, random: 1) == .seconds(1))
        #expect(p.backoff(attempt: 3, random: 0.5) == .seconds(3))
        #expect(p.backoff(attempt: 20, random: 1) == .seconds(30))
    }

    @Test("retries queries on transient failures only")
    func queryRules() {
        let p = RetryPolicy.standard
        #expect(p.delay(after: .timedOut(duringSubmit: false), attempt: 1, call: .query, random: 0) != nil)
        #expect(p.delay(after: .server(status: 500, message: ""), attempt: 1, call: .query, random: 0) != nil)
        #expect(p.delay(after: .unauthorized(message: ""), attempt: 1, call: .query, random: 0) == nil)
        #expect(p.delay(after: .taskNotFound(message: ""), attempt: 1, call: .query, random: 0) == nil)
        #expect(p.delay(after: .server(status: 500, message: ""), attempt: 4, call: .query, random: 0) == nil)
    }

    @Test("retries a submit only when the connection was refused")
    func submitRules() {
        let p = RetryPolicy.standard
        #expect(p.delay(after: .cannotConnect(message: ""), attempt: 1, call: .submit, random: 0) != nil)
        #expect(p.delay(after: .timedOut(duringSubmit: true), attempt: 1, call: .submit, random: 0) == nil)
        #expect(p.delay(after: .connectionLost(message: "", duringSubmit: true), attempt: 1, call: .submit, random: 0) == nil)
        #expect(p.delay(after: .rateLimited(message: "", retryAfter: .seconds(1)), attempt: 1, call: .submit, random: 0) == nil)
        #expect(p.delay(after: .server(status: 502, message: ""), attempt: 1, call: .submit, random: 0) == nil)
    }

    @Test("reads Retry-After as seconds or an HTTP date")
    func retryAfterParsing() {
        #expect(RetryPolicy.parseRetryAfter("5") == .seconds(5))
        #expect(RetryPolicy.parseRetryAfter(nil) == nil)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
    }

    @Test("polls first after 2 s, grows by 1.5 to a 5 s cap")
    func pollGrowth() {
        #expect(PollSchedule.delay(beforePoll: 1, random: 0.5) == .seconds(2))
        #expect(PollSchedule.delay(beforePoll: 2, random: 0.5) == .seconds(3))
        #expect(PollSchedule.delay(beforePoll: 3, random: 0.5) == .milliseconds(4500))
        #expect(PollSchedule.delay(beforePoll: 4, random: 0.5) == .seconds(5))
        #expect(PollSchedule.delay(beforePoll: 50, random: 0.5) == .seconds(5))
    }

    @Test("jitters by about 20% but never polls sooner than 2 s or later than 5 s")
    func pollBounds() {
        for poll in 1...10 {
            for r in stride(from: 0.0, through: 1.0, by: 0.1) {
                let d = PollSchedule.delay(beforePoll: poll, random: r)
                #expect(d >= .seconds(2) && d <= .seconds(5))
            }
        }
        #expect(PollSchedule.delay(beforePoll: 2, random: 0) == .milliseconds(2400))
        #expect(PollSchedule.delay(beforePoll: 2, random: 1) == .milliseconds(3600))
        #expect(PollSchedule.delay(beforePoll: 9, random: 0) == .seconds(4))
    }
}
