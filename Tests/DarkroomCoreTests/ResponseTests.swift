import Testing
@testable import DarkroomCore

@Suite("Reading responses")
struct ResponseTests {
    func decode(_ s: String) throws -> ImageTask { try TaskDecoder.decode(Array(s.utf8)) }

    @Test("reads the bare task object of the page's submit example")
    func bare() throws {
        let t = try decode("""
        {"task_id": "task_xxx", "status": "succeeded", "progress": "100%",
         "result_url": "https://example.com/result.png",
         "metadata": {"task_type": "text2image", "result_count": 1}, "error": null}
        """)
        #expect(t == ImageTask(id: "task_xxx", status: .succeeded, progress: 100, resultURLs: ["https://example.com/result.png"],
                               resultCount: 1, taskType: "text2image", errorMessage: nil))
    }

    @Test("reads the envelope of the page's query example")
    func envelope() throws {
        let t = try decode("""
        {"code": "success", "message": "",
         "data": {"task_id": "task_xxx", "status": "succeeded", "progress": "100%",
                  "result_url": "https://example.com/result.png",
                  "metadata": {"task_type": "text2image", "result_count": 1}, "error": null}}
        """)
        #expect(t.id == "task_xxx")
        #expect(t.resultURLs == ["https://example.com/result.png"])
    }

    @Test("normalises status case and synonyms", arguments: [
        ("SUCCESS", TaskStatus.succeeded), ("completed", .succeeded), ("Succeeded", .succeeded),
        ("FAILURE", .failed), ("error", .failed), ("in_progress", .processing), ("running", .processing),
        ("IN_PROGRESS", .processing), ("QUEUED", .queued), ("NOT_START", .queued), ("submitted", .queued),
    ])
    func statuses(raw: String, expected: TaskStatus) throws {
        let t = try decode(#"{"task_id":"t","status":"\#(raw)"}"#)
        #expect(t.status == expected)
        #expect(t.rawStatus == raw)
    }

    @Test("keeps an unknown status as unfinished, with its text")
    func unknownStatus() throws {
        let t = try decode(#"{"task_id":"t","status":"MODERATING"}"#)
        #expect(t.status == .unknown("MODERATING"))
        #expect(!t.status.isFinished)
    }

    @Test("reads progress as \"50%\", \"50\", 50 and 50.4", arguments: [#""50%""#, #""50""#, "50", "50.4", #"" 50 % ""#])
    func progress(raw: String) throws {
        #expect(try decode(#"{"task_id":"t","status":"processing","progress":\#(raw)}"#).progress == 50)
    }

    @Test("clamps progress and ignores nonsense")
    func progressEdges() throws {
        #expect(try decode(#"{"task_id":"t","status":"processing","progress":"150%"}"#).progress == 100)
        #expect(try decode(#"{"task_id":"t","status":"processing","progress":"soon"}"#).progress == nil)
        #expect(try decode(#"{"task_id":"t","status":"processing","progress":null}"#).progress == nil)
    }

    @Test("takes results from metadata.result_urls first")
    func resultURLs() throws {
        let t = try decode(#"{"task_id":"t","status":"succeeded","result_url":"https://x/0.png","metadata":{"result_urls":["https://x/0.png","https://x/1.png"]}}"#)
        #expect(t.resultURLs == ["https://x/0.png", "https://x/1.png"])
    }

    @Test("splits a comma-joined result_url")
    func commaJoined() throws {
        let t = try decode(#"{"task_id":"t","status":"SUCCESS","result_url":"https://x/0.png, https://x/1.png"}"#)
        #expect(t.resultURLs == ["https://x/0.png", "https://x/1.png"])
    }

    @Test("takes results only from a succeeded task, and keeps every link it sent, in order (the download refuses other schemes)")
    func onlySucceededHTTP() throws {
        let failed = try decode(#"{"task_id":"t","status":"failed","progress":"100%","result_url":"content policy violation"}"#)
        #expect(failed.resultURLs == [])
        #expect(failed.errorMessage == "content policy violation")
        let processing = try decode(#"{"task_id":"t","status":"processing","result_url":"https://x/partial.png"}"#)
        #expect(processing.resultURLs == [])
        let odd = try decode(#"{"task_id":"t","status":"succeeded","result_url":"javascript:alert(1),file:///etc/passwd,https://ok/1.png"}"#)
        #expect(odd.resultURLs == ["javascript:alert(1)", "file:///etc/passwd", "https://ok/1.png"])
    }

    @Test("reads error as a string, an object or null")
    func errors() throws {
        #expect(try decode(#"{"task_id":"t","status":"failed","error":"boom"}"#).errorMessage == "boom")
        #expect(try decode(#"{"task_id":"t","status":"failed","error":{"message":"bad prompt","code":"x"}}"#).errorMessage == "bad prompt")
        #expect(try decode(#"{"task_id":"t","status":"failed","error":{"code":"quota"}}"#).errorMessage == "quota")
        #expect(try decode(#"{"task_id":"t","status":"succeeded","error":null}"#).errorMessage == nil)
    }

    @Test("ignores unknown extra fields")
    func extraFields() throws {
        let t = try decode(#"{"task_id":"t","status":"queued","progress":0,"usage":{"x":[1,2,{"y":null}]},"created_at":1}"#)
        #expect(t.status == .queued)
        #expect(t.progress == 0)
    }

    @Test("strips control characters from server text; the task id is kept as sent (it is asked for again) and cleaned where shown")
    func sanitized() throws {
        let t = try decode(#"{"task_id":"t\u001b[31m","status":"failed","error":"\u001b]0;pwned\u0007bad\u001b[2Jthing\u009b1m"}"#)
        #expect(t.id == "t\u{1B}[31m")
        #expect(TerminalSanitizer.clean(t.id) == "t")
        #expect(t.errorMessage == "badthing")
    }

    @Test("reports a body that is not JSON or holds no task")
    func malformed() {
        #expect(throws: TaskDecoder.Failure.self) { try decode("<html>oops</html>") }
        #expect(throws: TaskDecoder.Failure.malformed("no task_id in the response")) { try decode(#"{"status":"queued"}"#) }
        #expect(throws: TaskDecoder.Failure.envelopeError(code: "task_not_exist", message: "task_not_exist")) {
            try decode(#"{"code":"task_not_exist","message":"task_not_exist","data":null}"#)
        }
    }
}

@Suite("Error mapping")
struct ErrorMappingTests {
    func map(_ status: Int, _ body: String, retryAfter: Duration? = nil) -> APIError {
        APIError.from(status: status, body: Array(body.utf8), retryAfter: retryAfter)
    }

    let gatewayShape = #"{"error":{"message":"Invalid token","type":"new_api_error","param":"","code":""}}"#

    @Test("maps each status to the error a user must tell apart, keeping the server's message")
    func statuses() {
        #expect(map(401, gatewayShape) == .unauthorized(message: "Invalid token"))
        #expect(map(403, #"{"error":{"message":"user quota is not enough","type":"new_api_error","code":"insufficient_user_quota"}}"#)
            == .quotaExhausted(.account, status: 403, message: "user quota is not enough"))
        #expect(map(403, #"{"error":{"message":"nope","type":"new_api_error","code":""}}"#) == .forbidden(message: "nope"))
        #expect(map(503, #"{"error":{"message":"No available channel","type":"new_api_error","code":"model_not_found"}}"#)
            == .modelUnavailable(message: "No available channel"))
        #expect(map(503, #"{"error":{"message":"overloaded","code":""}}"#) == .server(status: 503, message: "overloaded"))
        #expect(map(400, #"{"error":{"message":"prompt is required","code":"invalid_request"}}"#) == .badRequest(status: 400, message: "prompt is required"))
        #expect(map(413, "request entity too large") == .badRequest(status: 413, message: "request entity too large"))
        #expect(map(404, "") == .taskNotFound(message: ""))
        #expect(map(400, #"{"code":"task_not_exist","message":"task_not_exist","data":null}"#) == .taskNotFound(message: "task_not_exist"))
        #expect(map(429, #"{"error":{"message":"当前分组上游负载已饱和，请稍后再试"}}"#, retryAfter: .seconds(7))
            == .rateLimited(message: "当前分组上游负载已饱和，请稍后再试", retryAfter: .seconds(7)))
        #expect(map(502, "<html><h1>502 Bad Gateway</h1></html>") == .server(status: 502, message: "<html><h1>502 Bad Gateway</h1></html>"))
        #expect(map(418, "{}") == .unexpectedStatus(status: 418, message: ""))
    }

    @Test("says model_not_found once when the server's message begins with it")
    func modelCodeOnce() {
        let m = map(503, #"{"error":{"message":"model_not_found: no channel for this model","type":"new_api_error","code":"model_not_found"}}"#)
        #expect(m.description == "this model is not available to the account (503 model_not_found: no channel for this model). Try another model (`darkroom models`)")
        #expect(map(503, #"{"error":{"message":"model_not_found","code":"model_not_found"}}"#).description
                == "this model is not available to the account (503 model_not_found). Try another model (`darkroom models`)")
        #expect(map(503, #"{"error":{"message":"No available channel","code":"model_not_found"}}"#).description
                == "this model is not available to the account (503 model_not_found: No available channel). Try another model (`darkroom models`)")
    }

    @Test("reads the {code, message} shape")
    func codeMessageShape() {
        #expect(ServerErrorBody.parse(Array(#"{"code":"invalid_request","message":"size is required","data":null}"#.utf8))
            == ServerErrorBody(code: "invalid_request", message: "size is required"))
    }

    @Test("cleans escape sequences out of a non-JSON error body")
    func cleanBody() {
        #expect(map(500, "\u{1B}[31mfail\u{1B}[0m\u{07}") == .server(status: 500, message: "fail"))
    }

    @Test("a submit that timed out says the task may exist")
    func submitTimeoutMessage() {
        #expect(APIError.timedOut(duringSubmit: true).description.contains("not resubmitted"))
    }
}
