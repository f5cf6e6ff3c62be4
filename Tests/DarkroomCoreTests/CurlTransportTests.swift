import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

/// The production transport (`CurlTransport`, libcurl) against real loopback
/// servers: its pool, its time limits, its body cap, and the rule that a query
/// may be sent again once on a connection that closed unanswered, a submit never.
@Suite("libcurl transport over loopback")
struct CurlTransportTests {
    static let taskJSON = TransportTests.taskJSON

    func get(_ url: URL, timeout: Duration = .seconds(30)) -> HTTPRequestData {
        HTTPRequestData(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: timeout)
    }

    /// The message of the `cannotConnect` a query to `url` fails with; nil (and
    /// the test failed) when it answers or fails otherwise.
    func cannotConnect(_ url: URL, _ transport: CurlTransport = CurlTransport(proxy: .none), timeout: Duration = .seconds(30)) async -> String? {
        do {
            _ = try await transport.send(get(url, timeout: timeout))
            Issue.record("\(url) answered")
        } catch let TransportError.cannotConnect(m) {
            return m
        } catch {
            Issue.record("\(url): \(error)")
        }
        return nil
    }

    @Test("queries share one kept-alive connection; status, headers, body, path and Host arrive as sent")
    func keptAlive() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: ["Retry-After": "7"], body: Self.taskJSON) }
        defer { server.stop() }
        let transport = CurlTransport(proxy: .none)
        let url = URL(string: server.baseURL.absoluteString + "/v1/images/tasks/a%2Fb%20c?x=1#frag")!
        for _ in 0..<3 {
            let answer = try await transport.send(get(url))
            #expect(answer.status == 200)
            #expect(answer.headers["retry-after"] == "7")
            #expect(answer.body == Self.taskJSON)
        }
        #expect(server.connectionCount == 1)
        #expect(server.requests.map(\.path) == Array(repeating: "/v1/images/tasks/a%2Fb%20c?x=1", count: 3))
        #expect(server.requests.first?.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(server.requests.first?.headers["accept"] == "application/json")
        #expect(server.requests.first?.headers["expect"] == nil)
    }

    @Test("a POST's body and headers arrive as sent, with no Expect: 100-continue round trip")
    func postBody() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: [:], body: Self.taskJSON) }
        defer { server.stop() }
        let body = Array(String(repeating: "{\"prompt\":\"a cube\"}", count: 200).utf8) + [0]
        let request = HTTPRequestData(method: "POST", url: server.baseURL.appendingPathComponent("v1/images/tasks"),
                                      headers: [("Content-Type", "application/json"), ("Idempotency-Key", "k1")], body: body,
                                      timeout: .seconds(30))
        #expect(try await CurlTransport(proxy: .none).send(request).status == 200)
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.body == body)
        #expect(seen.headers["idempotency-key"] == "k1")
        #expect(seen.headers["expect"] == nil)
    }

    @Test("a POST with no body goes out with Content-Length 0 and nothing after (never a body read from elsewhere)")
    func emptyPost() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: [:], body: Self.taskJSON) }
        defer { server.stop() }
        let request = HTTPRequestData(method: "POST", url: server.baseURL.appendingPathComponent("v1/images/tasks"), headers: [], timeout: .seconds(30))
        #expect(try await CurlTransport(proxy: .none).send(request).status == 200)
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST" && seen.body.isEmpty)
        #expect(seen.headers["content-length"] == "0")
    }

    @Test("an answer that does not keep the connection alive is not reused")
    func connectionClose() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: ["Connection": "close"], body: Self.taskJSON) }
        defer { server.stop() }
        let transport = CurlTransport(proxy: .none)
        for _ in 0..<2 { #expect(try await transport.send(get(server.baseURL)).body == Self.taskJSON) }
        #expect(server.connectionCount == 2)
    }

    @Test("an HTTP/1.0 answer with no length, its body ended by closing (python's http.server), is read whole, each on a new connection")
    func bodyEndedByClose() async throws {
        let server = try ScriptedHTTPServer { _ in
            .rawThenClose(Array("HTTP/1.0 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11\r\nContent-Type: application/json\r\n\r\n".utf8) + Self.taskJSON)
        }
        defer { server.stop() }
        let transport = CurlTransport(proxy: .none)
        for _ in 0..<3 {
            let answer = try await transport.send(get(server.baseURL))
            #expect(answer.status == 200)
            #expect(answer.body == Self.taskJSON)
        }
        #expect(server.connectionCount == 3)
    }

    @Test("a refused connection is cannotConnect, naming the host and the reason")
    func refused() async throws {
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        let message = await cannotConnect(closed.baseURL)
        #expect(message == "cannot connect to 127.0.0.1:\(closed.port) (connection refused)", "\(message ?? "")")
    }

    @Test("a URL that is not http(s) is refused before any connection")
    func otherScheme() async throws {
        let message = await cannotConnect(URL(string: "ftp://127.0.0.1:9/x")!)
        #expect(message == "the URL cannot be used (only http and https are)")
    }

    @Test("a stalled query ends at its time limit, as a timeout")
    func stalled() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let started = ContinuousClock.now
        await #expect(throws: TransportError.timedOut) {
            try await CurlTransport(proxy: .none).send(get(server.baseURL, timeout: .milliseconds(300)))
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("an answer larger than 1 MiB is refused as soon as the limit is passed, declared or streamed")
    func tooLarge() async throws {
        for declared in [true, false] {
            let server = try ScriptedHTTPServer { _ in .stream(chunk: [UInt8](repeating: 0x20, count: 65536), total: 100 << 20, declareLength: declared) }
            defer { server.stop() }
            await #expect(throws: TransportError.tooLarge(status: 200, limit: 1 << 20)) {
                try await CurlTransport(proxy: .none).send(get(server.baseURL))
            }
            #expect(server.bytesStreamed < 20 << 20, "read \(server.bytesStreamed) bytes of a 100 MB answer")
        }
    }

    @Test("a query whose kept-alive connection closes unanswered is sent again once, on a fresh connection; a POST never")
    func resendOnlyQueries() async throws {
        // The first connection answers its first request and closes on the next one;
        // later connections answer everything.
        let server = try ScriptedHTTPServer { r in
            r.connection == 1 && r.path != "/prime" ? .close : .respond(status: 200, headers: [:], body: Self.taskJSON)
        }
        defer { server.stop() }
        let transport = CurlTransport(proxy: .none)
        _ = try await transport.send(get(server.baseURL.appendingPathComponent("prime")))
        #expect(try await transport.send(get(server.baseURL.appendingPathComponent("q"))).body == Self.taskJSON)
        #expect(server.requests.map { "\($0.connection) \($0.path)" } == ["1 /prime", "1 /q", "2 /q"])

        // Every connection closes on a POST without answering.
        let posts = try ScriptedHTTPServer { r in
            r.method == "POST" ? .close : .respond(status: 200, headers: [:], body: Self.taskJSON)
        }
        defer { posts.stop() }
        _ = try await transport.send(get(posts.baseURL.appendingPathComponent("prime")))
        var post = get(posts.baseURL.appendingPathComponent("submit"))
        post.method = "POST"
        post.body = Array("{}".utf8)
        do {
            _ = try await transport.send(post)
            Issue.record("the POST should have failed")
        } catch let TransportError.connectionLost(m) {
            #expect(m == "the server closed the connection before it answered")
        }
        #expect(posts.requests.filter { $0.method == "POST" }.count == 1, "the POST was sent exactly once")
    }

    @Test("a query cancelled while it waits on a silent server returns promptly")
    func cancelled() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = CurlTransport(proxy: .none)
        let query = Task { try await transport.send(get(server.baseURL, timeout: .seconds(300))) }
        while server.requests.isEmpty { await Task.yield() }
        query.cancel()
        await #expect(throws: CancellationError.self) { try await query.value }
    }

    @Test("a query cancelled before it starts makes no connection")
    func cancelledFirst() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let query = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await CurlTransport(proxy: .none).send(get(server.baseURL, timeout: .seconds(300)))
        }
        await #expect(throws: CancellationError.self) { try await query.value }
        #expect(server.connectionCount == 0)
    }

    @Test("https: a trusted certificate carries queries on one connection; an untrusted one fails to connect, said in words")
    func tls() async throws {
        let server = try TLSTestServer(body: Self.taskJSON)
        let trusting = CurlTransport(proxy: .none, caFile: server.certificateFile)
        for url in [server.baseURL, URL(string: "https://127.0.0.1:\(server.port)")!] {
            for _ in 0..<2 { #expect(try await trusting.send(get(url)).body == Self.taskJSON) }
        }
        #expect(server.connectionCount == 2, "one connection to localhost, one to 127.0.0.1")
        let message = await cannotConnect(server.baseURL)
        #expect(message == "the secure (TLS) connection could not be set up: the server's certificate could not be verified "
                + "(not trusted here, expired, or made for another name)")
    }

    @Test("a server that never finishes the TLS handshake is cannotConnect at the time limit: nothing of the request left")
    func handshakeStalls() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }     // reads the ClientHello as a request that never ends
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)/v1/images/tasks/t")!
        let message = await cannotConnect(url, timeout: .milliseconds(300))
        #expect(message == "no secure (TLS) connection within 300 ms: nothing was sent")
        #expect(server.requests.allSatisfy { $0.method != "GET" })
    }

    @Test("a download streams a 2xx body into its sink, follows a redirect, and drops the redirect's own body")
    func download() async throws {
        let png = [UInt8](repeating: 7, count: 300_000)
        let server = try ScriptedHTTPServer { r in
            r.path == "/old" ? .respond(status: 302, headers: ["Location": "/new.png"], body: Array("moved".utf8))
                             : .respond(status: 200, headers: [:], body: png)
        }
        defer { server.stop() }
        let folder = TempDir()
        let sink = try DownloadSink(path: folder.url.appendingPathComponent("x").path, maxBytes: 1 << 20)
        let status = try await CurlTransport(proxy: .none).download(server.baseURL.appendingPathComponent("old"), timeout: .seconds(30), into: sink)
        #expect(status == 200)
        #expect(sink.count == png.count)
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("x")) == Data(png))
        #expect(sink.digest() == SHA256.hex(png))
    }

    @Test("a download over its sink's limit stops there, declared or streamed")
    func downloadTooLarge() async throws {
        for declared in [true, false] {
            let server = try ScriptedHTTPServer { _ in .stream(chunk: [UInt8](repeating: 1, count: 65536), total: 100 << 20, declareLength: declared) }
            defer { server.stop() }
            let folder = TempDir()
            let sink = try DownloadSink(path: folder.url.appendingPathComponent("x").path, maxBytes: 1 << 20)
            await #expect(throws: FetchError.tooLarge(limit: 1 << 20)) {
                try await CurlTransport(proxy: .none).download(server.baseURL, timeout: .seconds(30), into: sink)
            }
            #expect(server.bytesStreamed < 20 << 20)
        }
    }

    @Test("a download's error page is not kept, and a huge one is not read to its end: the status is the answer")
    func hugeErrorPage() async throws {
        let server = try ScriptedHTTPServer { _ in .stream(chunk: [UInt8](repeating: 0x41, count: 65536), total: 100 << 20, declareLength: false, status: 404) }
        defer { server.stop() }
        let folder = TempDir()
        let sink = try DownloadSink(path: folder.url.appendingPathComponent("x").path, maxBytes: 1 << 20)
        #expect(try await CurlTransport(proxy: .none).download(server.baseURL, timeout: .seconds(30), into: sink) == 404)
        #expect(sink.count == 0)
        #expect(server.bytesStreamed < 20 << 20, "read \(server.bytesStreamed) bytes of a 100 MB error page")
    }
}
