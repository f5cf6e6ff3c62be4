import DarkroomCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An experiment, not a transport: the least HTTP/1.1 a poll needs (kept-alive
/// connections on NIO, one request at a time on each, no TLS, no redirects, no
/// time limits), to measure what AsyncHTTPClient's own machinery costs per
/// request. `darkroom-bench lean`.
final class LeanQuerier: TaskQuerying {
    private final class Collector: ChannelDuplexHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundIn = (HTTPRequestHead, EventLoopPromise<HTTPResponseData>)
        typealias OutboundOut = HTTPClientRequestPart
        private var pending: EventLoopPromise<HTTPResponseData>?
        private var status = 0
        private var body: [UInt8] = []

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let (head, answer) = unwrapOutboundIn(data)
            pending = answer
            body.removeAll(keepingCapacity: true)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.end(nil)), promise: promise)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(h): status = Int(h.status.code)
            case let .body(b): body.append(contentsOf: b.readableBytesView)
            case .end:
                let p = pending
                pending = nil
                p?.succeed(HTTPResponseData(status: status, body: body))
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            pending?.fail(error)
            pending = nil
            context.close(promise: nil)
        }
    }

    private let host: String
    private let port: Int
    private let headers: HTTPHeaders
    private let idle = Mutex<[Channel]>([])

    init(base: URL, key: String) {
        host = base.host ?? "127.0.0.1"
        port = base.port ?? 80
        headers = HTTPHeaders([("Host", "\(host):\(port)"), ("Authorization", "Bearer \(key)"), ("Accept", "application/json"),
                               ("User-Agent", "darkroom/\(DarkroomVersion.current)")])
    }

    func task(id: String) async throws -> ImageTask {
        let channel: Channel
        if let c = idle.withLock({ $0.popLast() }) {
            channel = c
        } else {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHTTPClientHandlers()
                        try ch.pipeline.syncOperations.addHandler(Collector())
                    }
                }
                .connect(host: host, port: port).get()
        }
        let answer = channel.eventLoop.makePromise(of: HTTPResponseData.self)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/images/tasks/" + id, headers: headers)
        channel.writeAndFlush((head, answer), promise: nil)
        let response = try await answer.futureResult.get()
        idle.withLock { $0.append(channel) }
        switch DarkroomClient.interpret(response) {
        case let .success(t): return t
        case let .failure(e): throw ClientError.api(e)
        }
    }
}

extension NetworkBenchmark {
    /// The poller on `LeanQuerier` against the simulator: what the poller would
    /// cost per request on the least HTTP client, beside the real one.
    static func lean(tasks: Int) async throws {
        let (sim, base) = try startSimulator(["--seed", "3"])
        defer { sim.terminate() }
        let client = DarkroomClient(baseURL: base, apiKey: APIKey("sk-bench-0000000000")!)
        let request = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "bench")).get()
        let lean = LeanQuerier(base: base, key: "sk-bench-0000000000")
        let one = try await client.submit(request).id
        for _ in 0..<200 { _ = try await lean.task(id: one) }
        let cpu0 = cpuSeconds()
        for _ in 0..<3000 { _ = try await lean.task(id: one) }
        report("lean client in a tight loop, CPU per GET", (cpuSeconds() - cpu0) * 1000 / 3000, unit: "ms", target: "-")
        var ids: [String] = []
        for _ in 0..<tasks { ids.append(try await client.submit(request).id) }
        let poller = TaskPoller(client: lean, clock: ContinuousClock())
        let cpu = await follow(ids, on: poller)
        let queries = await poller.queryCount
        await poller.shutdown()
        report("poller on the lean client: CPU per request (\(queries) requests)", cpu * 1000 / Double(max(1, queries)), unit: "ms", target: "< 0.1 ms")
    }
}
