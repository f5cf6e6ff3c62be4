import Clocks
import DarkroomTestSupport
import Foundation
import Synchronization
import Testing
@testable import DarkroomCore

/// The production transport and file fetcher against real loopback servers that
/// misbehave on purpose: each failure must say whether the server can have seen
/// the request, and nothing may be read or retried beyond its limits.
@Suite("HTTP transport over loopback")
struct TransportTests {
    let key = APIKey("sk-transport-test-01")!
    static let taskJSON = Array(#"{"task_id":"task_1","status":"queued","progress":"0%"}"#.utf8)

    func request(_ server: ScriptedHTTPServer, path: String = "/v1/images/tasks", method: String = "POST",
                 timeout: Duration = .seconds(30)) -> HTTPRequestData {
        request(server.baseURL, path: path, method: method, timeout: timeout)
    }

    func request(_ base: URL, path: String = "/v1/images/tasks", method: String = "POST",
                 timeout: Duration = .seconds(30)) -> HTTPRequestData {
        HTTPRequestData(method: method, url: base.appendingPathComponent(path), headers: [("Content-Type", "application/json")],
                        body: method == "POST" ? Array("{}".utf8) : nil, timeout: timeout)
    }

    func valid() throws -> ValidRequest {
        try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "a cube", size: "1024x1024")).get()
    }

    @Test("a refused connection is cannotConnect: nothing was sent, so a submit is certainly refused")
    func refused() async throws {
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        let url = closed.baseURL
        let client = DarkroomClient(baseURL: url, apiKey: key, retry: .none)
        do {
            _ = try await client.submit(try valid())
            Issue.record("a closed port answered")
        } catch let ClientError.api(e) {
            guard case let .cannotConnect(m) = e else { Issue.record("got \(e)"); return }
            #expect(m.contains("connection refused"))
        }
    }

    @Test("a kept-alive connection that breaks after the submit was written is 'may exist', never refused, and never resent")
    func brokenAfterWrite() async throws {
        let server = try ScriptedHTTPServer { r in
            r.method == "GET" ? .respond(status: 200, headers: [:], body: Self.taskJSON) : .close
        }
        defer { server.stop() }
        let client = DarkroomClient(baseURL: server.baseURL, apiKey: key)
        _ = try await client.task(id: "task_1")                       // opens the connection that is kept alive
        do {
            _ = try await client.submit(try valid())
            Issue.record("the submit should have failed")
        } catch let ClientError.api(e) {
            guard case .connectionLost(_, duringSubmit: true) = e else { Issue.record("got \(e)"); return }
            #expect(e.description.contains("may still have been created"))
        }
        #expect(server.requests.filter { $0.method == "POST" }.count == 1, "the POST was sent exactly once")
        #expect(server.requests.map(\.connection) == [1, 2], "the POST went on a connection of its own")
    }

    @Test("an answer larger than 1 MiB is refused as soon as the limit is passed, declared or streamed")
    func tooLarge() async throws {
        for declared in [true, false] {
            let server = try ScriptedHTTPServer { _ in .stream(chunk: [UInt8](repeating: 0x20, count: 65536), total: 100 << 20, declareLength: declared) }
            defer { server.stop() }
            let client = DarkroomClient(baseURL: server.baseURL, apiKey: key, retry: .none)
            do {
                _ = try await client.task(id: "task_1")
                Issue.record("a 100 MB answer was accepted")
            } catch let ClientError.api(e) {
                guard case let .malformedResponse(status, reason, _) = e else { Issue.record("got \(e)"); continue }
                #expect(status == 200)
                #expect(reason.contains("larger than 1 MiB"))
            }
            #expect(server.bytesStreamed < 20 << 20, "read \(server.bytesStreamed) bytes of a 100 MB answer")
        }
    }

    @Test("a server that never answers is abandoned by the client at its deadline, whatever the transport does")
    func neverAnswers() async throws {
        let clock = TestClock()
        let client = DarkroomClient(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: key, transport: StuckTransport(), retry: .none,
                                    deadlineSleep: { try await clock.sleep(for: $0) })
        let done = Mutex(false)
        let request = try valid()
        let submit = Task {
            defer { done.withLock { $0 = true } }
            return try await client.submit(request)
        }
        // Move the clock a second at a time until the client gives up (at 60 s + 5 s).
        var waited = 0
        while !done.withLock({ $0 }), waited < 120 {
            await clock.advance(by: .seconds(1))
            for _ in 0..<10 { await Task.yield() }
            waited += 1
        }
        #expect(waited >= 65)
        await #expect(throws: ClientError.api(.timedOut(duringSubmit: true))) { try await submit.value }
    }

    @Test("a download's redirect loop ends after at most 5 redirects, with a sentence")
    func redirectLoop() async throws {
        let server = try ScriptedHTTPServer { r in
            .respond(status: 302, headers: ["Location": r.path == "/a" ? "/b" : "/a"], body: [])
        }
        defer { server.stop() }
        let folder = TempDir()
        var d = ResultDownloader(resultsDirectory: folder.url, sleep: { _ in })
        d.attempts = 1
        let outcome = await d.download(url: server.baseURL.absoluteString + "/a", taskID: "t", localID: 1, index: 0, provenance: [:])
        guard case let .failure(e) = outcome else { Issue.record("a redirect loop was saved"); return }
        #expect(e.description == "the download failed: the redirects go round in a loop")
        #expect(server.requests.count <= 6)
    }

    @Test("a download cancelled before it starts makes no connection and returns at once")
    func cancelledBeforeStart() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let folder = TempDir()
        let sink = try DownloadSink(path: folder.url.appendingPathComponent("x.png").path, maxBytes: 1 << 20)
        let url = server.baseURL.appendingPathComponent("x.png")
        let fetch = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await CurlTransport().download(url, timeout: .seconds(300), into: sink)
        }
        await #expect(throws: CancellationError.self) { try await fetch.value }
        #expect(server.connectionCount == 0)
    }

    @Test("a download cancelled while it waits on a silent server returns promptly")
    func cancelledWhileWaiting() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let folder = TempDir()
        let sink = try DownloadSink(path: folder.url.appendingPathComponent("x.png").path, maxBytes: 1 << 20)
        let url = server.baseURL.appendingPathComponent("x.png")
        let fetch = Task { try await CurlTransport().download(url, timeout: .seconds(300), into: sink) }
        while server.requests.isEmpty { await Task.yield() }
        fetch.cancel()
        await #expect(throws: CancellationError.self) { try await fetch.value }
    }
}

/// A transport that never returns and ignores cancellation, like a read stuck in the kernel.
struct StuckTransport: HTTPTransport {
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        throw TransportError.timedOut
    }
}
