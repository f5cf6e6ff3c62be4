import DarkroomCore
import DarkroomTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import DarkroomSimulator

/// The real client against the real simulator over loopback HTTP. Simulated time
/// is moved by hand: the client's "sleep" advances it, so nothing waits.
@Suite("Client against the simulator over loopback")
struct LoopbackTests {
    let key = APIKey("sk-loopback-test-0001")!

    func start(_ configure: (inout SimulatorConfig) -> Void = { _ in }) async throws -> (SimulatorServer, ManualTime) {
        var c = SimulatorConfig()
        configure(&c)
        let time = ManualTime()
        return (try await SimulatorServer.start(config: c, now: { time.now() }), time)
    }

    func client(_ s: SimulatorServer, _ time: ManualTime, retry: RetryPolicy = .standard) -> DarkroomClient {
        DarkroomClient(baseURL: s.baseURL, apiKey: key, retry: retry, sleep: { time.advance(by: $0) }, random: { 0.5 })
    }

    /// Polls on the page's schedule, moving simulated time instead of sleeping.
    func poll(_ c: DarkroomClient, _ time: ManualTime, _ id: String) async throws -> ImageTask {
        var t = try await c.task(id: id)
        var n = 1
        while !t.status.isFinished && n < 200 {
            time.advance(by: PollSchedule.delay(beforePoll: n, random: 0.5))
            t = try await c.task(id: id)
            n += 1
        }
        return t
    }

    @Test("a registered method the simulator does not take (QUERY, PROPFIND) is 405 with Allow over real HTTP, never an empty 404")
    func unknownMethods() async throws {
        let (sim, _) = try await start()
        defer { Task { await sim.stop() } }
        for method in ["QUERY", "PROPFIND"] {
            let r = try await CurlTransport(proxy: .none).send(HTTPRequestData(
                method: method, url: sim.baseURL.appendingPathComponent("v1/images/tasks"),
                headers: [("Authorization", "Bearer \(sim.apiKey)")], body: Array("{}".utf8), timeout: .seconds(30)))
            #expect(r.status == 405, "\(method)")
            #expect(r.headers["allow"] == "POST", "\(method)")
            #expect(!r.body.isEmpty)
        }
    }

    @Test("submits, polls and sees a task succeed, then downloads a real PNG")
    func succeeds() async throws {
        let (s, time) = try await start()
        defer { Task { await s.stop() } }
        let c = client(s, time)
        let req = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "a red kite over dunes", size: "1536x1024", n: 2)).get()
        let submitted = try await c.submit(req)
        #expect(submitted.status == .queued)
        let done = try await poll(c, time, submitted.id)
        #expect(done.status == .succeeded)
        #expect(done.resultURLs.count == 2)
        let (data, response) = try await URLSession.shared.data(from: URL(string: done.resultURLs[1])!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(PNGInfo.size(Array(data)).map { "\($0.width)x\($0.height)" } == "384x256")
    }

    @Test("sees a task fail with the server's reason")
    func fails() async throws {
        let (s, time) = try await start()
        defer { Task { await s.stop() } }
        let c = client(s, time)
        let req = try RequestValidator.validate(ImageRequest(model: "NanoBananaPro-2K", prompt: "[fail] please", aspectRatio: "4:5")).get()
        let done = try await poll(c, time, try await c.submit(req).id)
        #expect(done.status == .failed)
        #expect(done.errorMessage?.contains("content policy") == true)
    }

    @Test("reaches the end through 5xx, 429, HTML bodies and odd shapes")
    func flaky() async throws {
        let (s, time) = try await start {
            $0.faults = try! FaultProfile.parse("server_error=0.3,rate_limit_retry_after=0.2,not_json=0.1,synonym_status=1,numeric_progress=1,extra_fields=1")
            $0.seed = 7
        }
        defer { Task { await s.stop() } }
        let c = client(s, time, retry: RetryPolicy(maxAttempts: 12))
        var finished = 0
        for i in 0..<5 {
            let req = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "tide pool \(i)", aspectRatio: "3:2")).get()
            var submitted: ImageTask?
            // A submit refused with 5xx or 429 was not created; the user may try again.
            for _ in 0..<20 where submitted == nil {
                submitted = try? await c.submit(req)
            }
            let id = try #require(submitted?.id)
            var t: ImageTask?
            for _ in 0..<10 where t == nil {
                do { t = try await poll(c, time, id) } catch ClientError.api(.malformedResponse) { continue }
            }
            if t?.status == .succeeded { finished += 1 }
        }
        #expect(finished == 5)
    }

    @Test("uploads a local reference file as multipart")
    func multipart() async throws {
        let (s, time) = try await start()
        defer { Task { await s.stop() } }
        let dir = TempDir()
        let path = dir.file("input.png", ScenePainter.png(prompt: "ref", variant: 0, aspect: 1, longSide: 32), mode: 0o644)
        let req = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "Keep the subject", references: [path], size: "1024x1024")).get()
        let t = try await client(s, time).submit(req)
        #expect(t.status == .queued)
        #expect(t.taskType == "image2image")
    }

    @Test("reports a submit whose connection dropped, without sending it twice")
    func droppedSubmit() async throws {
        let (s, time) = try await start { $0.faults.drop = 1 }
        defer { Task { await s.stop() } }
        let req = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "x")).get()
        do {
            _ = try await client(s, time).submit(req)
            Issue.record("expected the dropped connection to be reported")
        } catch let ClientError.api(e) {
            switch e {
            case .connectionLost(_, let duringSubmit): #expect(duringSubmit)
            case .malformedResponse: break // a truncated body may also arrive as unreadable JSON
            default: Issue.record("unexpected \(e)")
            }
        }
        #expect(await s.core.submitCount == 1)
    }

    @Test("tells a refused key and an unknown task apart")
    func typedErrors() async throws {
        let (s, time) = try await start { $0.apiKey = "sk-the-right-one" }
        defer { Task { await s.stop() } }
        await #expect(throws: ClientError.api(.unauthorized(message: "Invalid token (the API key is missing, wrong or expired)"))) {
            try await client(s, time).task(id: "task_x")
        }
        let good = DarkroomClient(baseURL: s.baseURL, apiKey: APIKey("sk-the-right-one")!, sleep: { time.advance(by: $0) })
        await #expect(throws: ClientError.api(.taskNotFound(message: "task_not_exist"))) { try await good.task(id: "task_x") }
    }

    @Test("reports a server that is not there as cannot connect")
    func nobodyHome() async throws {
        let (s, time) = try await start()
        let url = s.baseURL
        let gone = try await s.stopRefusing()
        defer { withExtendedLifetime(gone) {} }
        let c = DarkroomClient(baseURL: url, apiKey: key, retry: .none, sleep: { time.advance(by: $0) })
        do {
            _ = try await c.task(id: "task_x")
            Issue.record("expected an error")
        } catch let ClientError.api(e) {
            guard case .cannotConnect = e else { Issue.record("unexpected \(e)"); return }
        }
    }
}

@Suite("Multipart bytes")
struct MultipartTests {
    @Test("the client's multipart body parses back into the page's fields and the file")
    func roundTrip() throws {
        let dir = TempDir()
        let bytes = ScenePainter.png(prompt: "p", variant: 0, aspect: 1, longSide: 16)
        let path = dir.file("input.png", bytes, mode: 0o644)
        let v = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "Keep the subject, make it a clean studio product photo",
                                                           taskType: "image2image", references: [path], size: "1024x1024", quality: "medium")).get()
        let body = try RequestEncoder.body(v)
        let boundary = try #require(MultipartParser.boundary(fromContentType: body.contentType))
        let parts = try MultipartParser.parse(body.bytes, boundary: boundary)
        #expect(parts.map(\.name) == ["model", "task_type", "prompt", "size", "quality", "output_format", "n", "response_format", "image"])
        #expect(parts.dropLast().map(\.text) == ["gpt-image-2", "image2image", "Keep the subject, make it a clean studio product photo",
                                                 "1024x1024", "medium", "png", "1", "url"])
        #expect(parts.last?.fileName == "input.png")
        #expect(parts.last?.contentType == "image/png")
        #expect(parts.last?.body == bytes)
    }
}
