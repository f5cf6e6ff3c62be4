import DarkroomCore
import DarkroomTestSupport
import Foundation
import Testing

/// The CLI through a proxy on loopback (`TestProxy`) to a base URL whose name
/// does not resolve here: `--proxy`, a profile's `proxy`, and the environment.
@Suite("CLI through a proxy")
struct ProxyCLITests {
    static let base = "http://api.darkroom.test"

    func submit(_ h: CLIHarness, _ extra: [String] = [], env: [String: String]) async -> Int32 {
        await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--json", "--allow-insecure-http"] + extra,
                    env: ["DARKROOM_BASE_URL": Self.base, "DARKROOM_API_KEY": "sk-cli-test-key-0042"].merging(env) { _, b in b })
    }

    @Test("--proxy carries the submit; HTTP_PROXY from the environment does too")
    func flagAndEnvironment() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let proxy = try TestProxy(upstreamPort: UInt16(sim.baseURL.port!))
        #expect(await submit(h, ["--proxy", proxy.url], env: [:]) == 0, "\(h.stderr)")
        #expect(try JSONParser.parse(h.stdout)["task_id"]?.stringValue?.isEmpty == false)
        #expect(await submit(h, env: ["HTTP_PROXY": proxy.url]) == 0, "\(h.stderr)")
        // Each submit, and the queries that followed it until its task ended.
        #expect(proxy.requestLines.filter { $0 == "POST http://api.darkroom.test/v1/images/tasks HTTP/1.1" }.count == 2)
        #expect(proxy.requestLines.allSatisfy { $0.contains(" http://api.darkroom.test/v1/images/tasks") }, "\(proxy.requestLines)")
    }

    @Test("a profile's proxy is used, and --proxy none goes direct whatever the environment says")
    func profileAndNone() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let proxy = try TestProxy(upstreamPort: UInt16(sim.baseURL.port!))
        try h.writeConfig("""
            [profiles.default]
            proxy = "\(proxy.url)"
            """)
        #expect(await submit(h, env: [:]) == 0, "\(h.stderr)")
        let sent = proxy.requestLines
        #expect(sent.first == "POST http://api.darkroom.test/v1/images/tasks HTTP/1.1")
        #expect(await submit(h, ["--proxy", "none"], env: ["HTTP_PROXY": proxy.url]) == 69)
        #expect(h.stderr.contains("the host name api.darkroom.test could not be resolved"), "\(h.stderr)")
        #expect(proxy.requestLines == sent, "nothing more went through the proxy")
    }

    @Test("a proxy that is not a URL is refused before anything is sent, exit 64, its password hidden")
    func invalid() async throws {
        let h = CLIHarness()
        #expect(await submit(h, ["--proxy", "ftp://me:s3cret@proxy:21"], env: [:]) == 64)
        #expect(h.stderr.contains("\"ftp://me:***@proxy:21\" is not a usable proxy"), "\(h.stderr)")
        #expect(!h.stderr.contains("s3cret"))
    }

    @Test("a proxy that is not running: exit 69, the proxy named and blamed, not the base URL; nothing sent")
    func proxyDown() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator()
        defer { Task { await sim.stop() } }
        let closed = try RefusedPort()
        defer { withExtendedLifetime(closed) {} }
        #expect(await h.run(["submit", "--model", "NanoBanana", "--prompt", "x", "--proxy", "http://127.0.0.1:\(closed.port)"],
                            env: CLIHarness.env(sim)) == 69)
        #expect(h.stderr.contains("cannot connect to the proxy http://127.0.0.1:\(closed.port) (connection refused)"), "\(h.stderr)")
        #expect(h.stderr.contains("Check the proxy"), "\(h.stderr)")
        #expect(!h.stderr.contains("Check the base URL"))
        #expect(await sim.core.submitCount == 0)
    }
}

