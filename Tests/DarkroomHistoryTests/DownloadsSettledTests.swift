import Clocks
import DarkroomCore
import Foundation
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// Waits until cancelled, with no timer: a download, or a watchdog, that never ends.
final class Forever: Sendable {
    private let stream: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation
    private let startedStream: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation
    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        (startedStream, startedContinuation) = AsyncStream.makeStream(of: Void.self)
    }
    /// Reports that it began, then returns only when the caller is cancelled.
    func wait() async throws {
        startedContinuation.yield()
        for await _ in stream {}
        throw CancellationError()
    }
    /// Returns once some `wait()` began.
    func begun() async { for await _ in startedStream { return } }
}

struct EndlessFetcher: DownloadOnlyTransport {
    let forever: Forever
    func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int {
        try await forever.wait()
        return 0
    }
}

@Suite("Studio: waiting for downloads to settle", .timeLimit(.minutes(1)))
struct DownloadsSettledTests {
    @Test("returns at once with no download running; a cancelled wait returns while one still runs")
    func cancelledWait() async throws {
        let dir = TempFolder()
        let store = try HistoryStore(path: dir.dbPath)
        try await store.addSubmitted("a lighthouse", id: "task_a")
        try await store.apply(ImageTask(id: "task_a", status: .succeeded, progress: 100, resultURLs: ["http://127.0.0.1:1/a.png"]))
        let fetch = Forever(), watchdog = Forever()
        let downloader = ResultDownloader(resultsDirectory: dir.url.appendingPathComponent("results"),
                                          transport: EndlessFetcher(forever: fetch), deadlineSleep: { _ in try await watchdog.wait() })
        let studio = Studio(store: store, profile: "default",
                            client: DarkroomClient(baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: APIKey("sk-settled-test-01")!),
                            clock: TestClock(), downloader: downloader)
        await studio.downloadsSettled()  // nothing runs yet: at once
        try await studio.start()  // resumes the pending download, which never ends
        await fetch.begun()
        #expect(await studio.downloadsInFlight == 1)
        let waiting = Task { await studio.downloadsSettled() }
        waiting.cancel()
        await waiting.value
        #expect(await studio.downloadsInFlight == 1, "the download still runs; only the wait ended")
        await studio.shutdown()
    }
}
