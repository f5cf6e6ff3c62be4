import ArgumentParser
import DarkroomCore
import DarkroomSimulator
import Foundation

struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run the built-in simulator of the image-task API on 127.0.0.1, in the foreground.",
        discussion: """
        Tasks go queued -> processing -> succeeded (or failed when the prompt contains \
        the fail marker, "[fail]" by default) over a few seconds to tens of seconds, and \
        results are real pictures in the requested format (PNG, JPEG or WebP) served by \
        the simulator itself.

        Fault profiles: none (default), shapes (synonym statuses, numeric progress, extra \
        fields, comma-joined URLs), flaky, chaos; or a list such as \
        server_error=0.2,rate_limit=0.1,drop=0.05,not_json=0.05,vanish=0.02,result_ttl=60.

        The gateway around the API (what a key may use, what is left, prices) is played         too: GET /v1/models, /api/usage/token/, /v1/dashboard/billing/subscription and         /usage, /api/pricing. Keys differ by how they begin: sk-limited-... may call         NanoBanana, NanoBanana2-1K and gpt-image-2 only; sk-small-... has $0.10 and runs         out after a few pictures (then the gateway's quota error); sk-unlimited-... has no         limit; sk-demo-... has $5 and may not call NanoBananaPro-8K; sk-expired-... is         refused (401) everywhere; any other sk-... key may call everything and has $20.         Each picture costs its model's price (see /api/pricing), taken when the task is         made. --gateway off answers those routes 404; --gateway slow answers after 5 s.
        """)

    @Option(name: .long, help: "The port to listen on (0: a free one).")
    var port: UInt16 = 0

    @OptionGroup var simulator: SimulatorOptions

    @Option(name: .long, help: "Seed for ids, timings, faults and pictures (default 1).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Prompts containing this text fail (default \"[fail]\").")
    var failMarker: String = "[fail]"

    func run() async throws {
        try await CLIRunner.run { ctx throws(CLIFailure) in try await self.execute(ctx) }
    }

    func execute(_ ctx: CLIContext) async throws(CLIFailure) -> ExitStatus {
        var config = try simulator.config()
        config.seed = seed
        config.failMarker = failMarker
        let server: SimulatorServer
        do { server = try await SimulatorServer.start(config: config, port: port) } catch {
            throw CLIFailure(.unavailable, "the simulator could not listen on 127.0.0.1:\(port): \(error)")
        }
        ctx.console.out("darkroom simulator listening on \(server.baseURL.absoluteString)")
        ctx.console.out("Any key starting with sk- is accepted (sk-limited-, sk-small-, sk-unlimited-, sk-demo-, sk-expired- keys differ: see --help). In another shell:")
        ctx.console.out("  export DARKROOM_BASE_URL=\(server.baseURL.absoluteString)")
        ctx.console.out("  export DARKROOM_API_KEY=\(server.apiKey)")
        ctx.console.out("  darkroom submit --model gpt-image-2 --size 1024x768 --prompt \"a lighthouse at dusk\" --wait")
        ctx.console.out("Faults: \(simulator.faults); speed x\(simulator.speed); gateway routes \(simulator.gateway). Press Ctrl-C to stop.")
        // Serve until the process is interrupted.
        while true {
            do { try await Task.sleep(for: .seconds(3600)) } catch { break }
        }
        await server.stop()
        return .ok
    }
}
