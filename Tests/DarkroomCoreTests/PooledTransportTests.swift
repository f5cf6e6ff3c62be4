import DarkroomTestSupport
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import Testing
@testable import DarkroomCore

/// The poller's transport (`PooledHTTP1Transport`) against real loopback servers:
/// the same promises as the production transport (time limit, body cap, failures
/// sorted by whether the request can have left), and its own pool rules.
@Suite("Pooled HTTP/1.1 transport over loopback")
struct PooledTransportTests {
    static let taskJSON = TransportTests.taskJSON

    func get(_ url: URL, timeout: Duration = .seconds(30)) -> HTTPRequestData {
        HTTPRequestData(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: timeout)
    }

    /// The message of the `cannotConnect` a query to `url` fails with; nil (and
    /// the test failed) when it answers or fails otherwise.
    func cannotConnect(_ url: URL) async -> String? {
        do {
            _ = try await PooledHTTP1Transport().send(get(url))
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
        let transport = PooledHTTP1Transport()
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
    }

    @Test("an answer that does not keep the connection alive is not reused")
    func connectionClose() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: ["Connection": "close"], body: Self.taskJSON) }
        defer { server.stop() }
        let transport = PooledHTTP1Transport()
        for _ in 0..<2 { #expect(try await transport.send(get(server.baseURL)).body == Self.taskJSON) }
        #expect(server.connectionCount == 2)
    }

    @Test("an HTTP/1.0 answer with no length, its body ended by closing (python's http.server), is read whole, each on a new connection")
    func bodyEndedByClose() async throws {
        let server = try ScriptedHTTPServer { _ in
            .rawThenClose(Array("HTTP/1.0 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11\r\nContent-Type: application/json\r\n\r\n".utf8) + Self.taskJSON)
        }
        defer { server.stop() }
        let transport = PooledHTTP1Transport()
        for _ in 0..<3 {
            let answer = try await transport.send(get(server.baseURL))
            #expect(answer.status == 200)
            #expect(answer.body == Self.taskJSON)
        }
        #expect(server.connectionCount == 3)
    }

    @Test("a refused connection is cannotConnect")
    func refused() async throws {
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        let message = await cannotConnect(closed.baseURL)
        #expect(message?.contains("connection refused") == true, "\(message ?? "")")
    }

    @Test("a stalled query ends at its time limit, as a timeout, and its connection is closed")
    func stalled() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = PooledHTTP1Transport()
        let started = ContinuousClock.now
        await #expect(throws: TransportError.timedOut) { try await transport.send(get(server.baseURL, timeout: .milliseconds(300))) }
        #expect(ContinuousClock.now - started < .seconds(30))
        while transport.openConnections(to: server.baseURL) > 0 { await Task.yield() }
    }

    @Test("an answer larger than 1 MiB is refused as soon as the limit is passed, declared or streamed")
    func tooLarge() async throws {
        for declared in [true, false] {
            let server = try ScriptedHTTPServer { _ in .stream(chunk: [UInt8](repeating: 0x20, count: 65536), total: 100 << 20, declareLength: declared) }
            defer { server.stop() }
            await #expect(throws: TransportError.tooLarge(status: 200, limit: 1 << 20)) {
                try await PooledHTTP1Transport().send(get(server.baseURL))
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
        let transport = PooledHTTP1Transport()
        _ = try await transport.send(get(server.baseURL.appendingPathComponent("prime")))
        #expect(try await transport.send(get(server.baseURL.appendingPathComponent("q"))).body == Self.taskJSON)
        #expect(server.requests.map { "\($0.connection) \($0.path)" } == ["1 /prime", "1 /q", "2 /q"])

        let posts = try ScriptedHTTPServer { r in
            r.connection == 1 && r.path != "/prime" ? .close : .respond(status: 200, headers: [:], body: Self.taskJSON)
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
            #expect(m.contains("closed the connection before it answered"))
        }
        #expect(posts.requests.filter { $0.method == "POST" }.count == 1, "the POST was sent exactly once")
    }

    @Test("at most the pool's limit of connections to a host; the queries beyond it wait for a free one")
    func poolLimit() async throws {
        // Each request waits for the gate, then opens it for the next one.
        let gate = DispatchSemaphore(value: 0)
        let server = try ScriptedHTTPServer { _ in
            gate.wait()
            gate.signal()
            return .respond(status: 200, headers: [:], body: Self.taskJSON)
        }
        defer { server.stop() }
        let transport = PooledHTTP1Transport(connectionsPerOrigin: 4)
        let queries = (0..<10).map { _ in Task { try await transport.send(get(server.baseURL)) } }
        while server.requests.count < 4 { await Task.yield() }
        #expect(transport.openConnections(to: server.baseURL) == 4)
        gate.signal()
        for q in queries { #expect(try await q.value.status == 200) }
        #expect(server.requests.count == 10)
        #expect(server.connectionCount == 4)
    }

    @Test("a query that finds no free connection before its time limit says so")
    func noFreeConnection() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = PooledHTTP1Transport(connectionsPerOrigin: 1)
        let first = Task { try await transport.send(get(server.baseURL)) }
        while server.requests.isEmpty { await Task.yield() }
        await #expect(throws: TransportError.cannotConnect("no connection became free in time")) {
            try await transport.send(get(server.baseURL, timeout: .milliseconds(200)))
        }
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
    }

    @Test("a query cancelled while it waits on a silent server returns promptly and frees its connection")
    func cancelled() async throws {
        let server = try ScriptedHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = PooledHTTP1Transport()
        let query = Task { try await transport.send(get(server.baseURL, timeout: .seconds(300))) }
        while server.requests.isEmpty { await Task.yield() }
        query.cancel()
        await #expect(throws: CancellationError.self) { try await query.value }
        while transport.openConnections(to: server.baseURL) > 0 { await Task.yield() }
    }

    @Test("https: a trusted certificate carries queries on one connection; an untrusted one fails to connect")
    func tls() async throws {
        let server = try TLSTestServer(body: Self.taskJSON)
        let trusting = PooledHTTP1Transport(tlsConfiguration: TLSTestServer.trustingConfiguration)
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
        await #expect(throws: TransportError.cannotConnect("the secure (TLS) connection could not be set up in time")) {
            try await PooledHTTP1Transport().send(get(url, timeout: .milliseconds(300)))
        }
        #expect(server.requests.isEmpty)
    }

    @Test("the poller's client queries through the pooled transport on production, and keeps a test's transport")
    func forPolling() {
        let key = APIKey("sk-transport-test-01")!
        let production = DarkroomClient(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: key)
        #expect(production.forPolling.transport is PooledHTTP1Transport)
        #expect(production.transport is HTTPClientTransport)
        let scripted = DarkroomClient(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: key, transport: StuckTransport())
        #expect(scripted.forPolling.transport is StuckTransport)
    }
}

/// The exchange handler on NIO's in-memory channel: what happens on one
/// connection, step by step, with no network and no timing.
@Suite("HTTP/1.1 exchange on one connection")
struct HTTP1ExchangeTests {
    func head() -> HTTPRequestHead { HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/images/tasks/t") }

    @Test("a connection that closed after it was handed out (NIO has removed its handlers) fails the exchange at once, never leaves it waiting")
    func closedBeforeWrite() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: [:], body: PooledTransportTests.taskJSON) }
        defer { server.stop() }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: Int(server.port)).get()
        try await channel.close()
        let answer = HTTP1Exchange.start(on: channel, head: head(), body: nil, limit: 1 << 20, deadline: .now() + .seconds(3600))
        await #expect(throws: HTTP1ClosedBeforeAnswer.self) { try await answer.get() }
    }

    @Test("an answer is collected whole; Connection: close makes the connection not reusable")
    func collected() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            HTTP1ExchangeHandler(eventLoop: channel.eventLoop, waitsForTLS: false, readyBy: .now() + .seconds(30)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for keepAlive in [true, false] {
            let answer = HTTP1Exchange.start(on: channel, head: head(), body: nil, limit: 1 << 20, deadline: .now() + .seconds(60))
            #expect(try channel.readOutbound(as: HTTPClientRequestPart.self) == .head(head()))
            #expect(try channel.readOutbound(as: HTTPClientRequestPart.self) == .end(nil))
            var headers: HTTPHeaders = ["Retry-After": "3"]
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .tooManyRequests, headers: headers)))
            try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "slow down")))
            try channel.writeInbound(HTTPClientResponsePart.end(nil))
            let done = try answer.wait()
            #expect(done.response.status == 429)
            #expect(done.response.headers["retry-after"] == "3")
            #expect(done.response.body == Array("slow down".utf8))
            #expect(done.reusable == keepAlive)
        }
    }
}
