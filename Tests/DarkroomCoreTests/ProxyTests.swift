import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

/// Which proxy a request takes: the environment's variables as curl and wget
/// read them, `--proxy`/`proxy` on top, and this machine always direct unless
/// a proxy is named explicitly.
@Suite("Proxy settings")
struct ProxySettingsTests {
    let api = URL(string: "https://api.example.com/v1/images/tasks")!
    let plain = URL(string: "http://api.example.com/v1/images/tasks")!

    @Test("https URLs take HTTPS_PROXY, http URLs HTTP_PROXY, both fall back to ALL_PROXY; lower case wins")
    func byScheme() {
        let env = ["HTTPS_PROXY": "http://secure:3128", "HTTP_PROXY": "http://plain:3128", "ALL_PROXY": "socks5h://all:1080"]
        let settings = ProxySettings.from(environment: env)
        #expect(settings.proxy(for: api) == "http://secure:3128")
        #expect(settings.proxy(for: plain) == "http://plain:3128")
        #expect(ProxySettings.from(environment: ["ALL_PROXY": "socks5h://all:1080"]).proxy(for: api) == "socks5h://all:1080")
        #expect(ProxySettings.from(environment: ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"]).proxy(for: api) == "http://lower:1")
        #expect(ProxySettings.from(environment: ["HTTPS_PROXY": "  "]).proxy(for: api) == nil, "an empty variable is unset")
        #expect(ProxySettings.from(environment: [:]).proxy(for: api) == nil)
    }

    @Test("NO_PROXY: a name matches itself and its subdomains, a leading dot and a port are ignored, * matches all")
    func noProxy() {
        func direct(_ list: String, _ host: String) -> Bool {
            ProxySettings.from(environment: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": list])
                .proxy(for: URL(string: "https://\(host)/x")!) == nil
        }
        #expect(direct("example.com", "api.example.com"))
        #expect(direct("example.com", "example.com"))
        #expect(direct(".example.com", "api.example.com"))
        #expect(direct("other.org, example.com:443", "api.example.com"))
        #expect(direct("*", "anything.net"))
        #expect(direct("10.1.2.3", "10.1.2.3"))
        #expect(!direct("example.com", "badexample.com"))
        #expect(!direct("api.example.com", "example.com"))
        #expect(!direct("", "api.example.com"))
    }

    @Test("this machine is reached directly whatever the environment says; an explicit proxy is used even for it")
    func loopback() {
        let env = ProxySettings.from(environment: ["HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1"])
        for host in ["127.0.0.1:8080", "localhost", "[::1]:9", "127.1.2.3", "demo.localhost"] {
            #expect(env.proxy(for: URL(string: "http://\(host)/v1")!) == nil, "\(host)")
        }
        let explicit = ProxySettings.from(environment: [:], explicit: "http://p:1")
        #expect(explicit.proxy(for: URL(string: "http://127.0.0.1:8080/v1")!) == "http://p:1")
    }

    @Test("an explicit proxy wins over the environment; none turns every proxy off")
    func explicit() {
        let env = ["HTTPS_PROXY": "http://env:1"]
        #expect(ProxySettings.from(environment: env, explicit: "http://flag:2").proxy(for: api) == "http://flag:2")
        #expect(ProxySettings.from(environment: env, explicit: "none").proxy(for: api) == nil)
        #expect(ProxySettings.from(environment: env, explicit: "").proxy(for: api) == "http://env:1", "an empty flag is unset")
    }

    @Test("a proxy's password is never shown")
    func redacted() {
        #expect(ProxySettings.redacted("http://me:s3cret@proxy:3128") == "http://me:***@proxy:3128")
        #expect(ProxySettings.redacted("http://proxy:3128") == "http://proxy:3128")
    }
}

/// Requests through a real proxy on loopback (`TestProxy`), to a host name that
/// does not resolve here: an answer proves the proxy carried the request.
@Suite("Requests through a proxy")
struct ProxyTransportTests {
    static let taskJSON = TransportTests.taskJSON

    func get(_ url: String) -> HTTPRequestData {
        HTTPRequestData(method: "GET", url: URL(string: url)!, headers: [("Accept", "application/json")], timeout: .seconds(30))
    }

    @Test("https through HTTPS_PROXY: a CONNECT tunnel, the server's certificate checked for the name asked")
    func httpsTunnel() async throws {
        let server = try TLSTestServer(body: Self.taskJSON)
        let proxy = try TestProxy(upstreamPort: UInt16(server.port))
        let transport = CurlTransport(proxy: .from(environment: ["HTTPS_PROXY": proxy.url]), caFile: server.certificateFile)
        let answer = try await transport.send(get("https://api.darkroom.test/v1/images/tasks/task_1"))
        #expect(answer.body == Self.taskJSON)
        #expect(proxy.requestLines == ["CONNECT api.darkroom.test:443 HTTP/1.1"])
    }

    @Test("http through HTTP_PROXY (upper case too): the request in absolute form, forwarded")
    func plainHTTP() async throws {
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: [:], body: Self.taskJSON) }
        defer { server.stop() }
        let proxy = try TestProxy(upstreamPort: server.port)
        let transport = CurlTransport(proxy: .from(environment: ["HTTP_PROXY": proxy.url]))
        #expect(try await transport.send(get("http://api.darkroom.test/v1/images/tasks/task_1")).body == Self.taskJSON)
        #expect(proxy.requestLines == ["GET http://api.darkroom.test/v1/images/tasks/task_1 HTTP/1.1"])
        #expect(server.requests.map(\.path) == ["/v1/images/tasks/task_1"])
    }

    @Test("a download goes through the same proxy")
    func download() async throws {
        let png = [UInt8](repeating: 9, count: 200_000)
        let server = try ScriptedHTTPServer { _ in .respond(status: 200, headers: [:], body: png) }
        defer { server.stop() }
        let proxy = try TestProxy(upstreamPort: server.port)
        let folder = TempDir()
        let sink = try DownloadSink(path: folder.url.appendingPathComponent("0.png").path, maxBytes: 1 << 20)
        let transport = CurlTransport(proxy: .from(environment: ["http_proxy": proxy.url]))
        #expect(try await transport.download(URL(string: "http://files.darkroom.test/0.png")!, timeout: .seconds(30), into: sink) == 200)
        #expect(sink.count == png.count)
        #expect(proxy.requestLines == ["GET http://files.darkroom.test/0.png HTTP/1.1"])
    }

    @Test("a host NO_PROXY names is reached directly, not through the proxy")
    func bypassed() async throws {
        let proxy = try TestProxy(upstreamPort: 9)
        let transport = CurlTransport(proxy: .from(environment: ["HTTPS_PROXY": proxy.url, "NO_PROXY": "darkroom.test"]))
        await #expect(throws: TransportError.cannotConnect("the host name api.darkroom.test could not be resolved")) {
            try await transport.send(get("https://api.darkroom.test/v1/images/tasks/t"))
        }
        #expect(proxy.requestLines.isEmpty)
    }

    @Test("a proxy that wants credentials is cannotConnect, said in words; the ones in its URL are sent, never shown")
    func refused() async throws {
        let proxy = try TestProxy(upstreamPort: 9, refuse: 407)
        let named = "http://me:s3cret@127.0.0.1:\(proxy.port)"
        let transport = CurlTransport(proxy: .from(environment: [:], explicit: named))
        do {
            _ = try await transport.send(get("https://api.darkroom.test/v1/images/tasks/t"))
            Issue.record("a refusing proxy answered")
        } catch let TransportError.cannotConnect(m) {
            #expect(m == "the proxy http://me:***@127.0.0.1:\(proxy.port) refused to connect to api.darkroom.test (HTTP 407): "
                    + "it asks for a user name and password (put them in the proxy's URL)")
            #expect(!m.contains("s3cret"))
        }
        #expect(proxy.authorizations == ["Basic " + Data("me:s3cret".utf8).base64EncodedString()])
    }

    @Test("a proxy that is not running is cannotConnect, naming the proxy")
    func proxyDown() async throws {
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        let transport = CurlTransport(proxy: .from(environment: [:], explicit: "http://127.0.0.1:\(closed.port)"))
        await #expect(throws: TransportError.cannotConnect("cannot connect to the proxy http://127.0.0.1:\(closed.port) (connection refused)")) {
            try await transport.send(get("https://api.darkroom.test/v1/images/tasks/t"))
        }
    }
}
