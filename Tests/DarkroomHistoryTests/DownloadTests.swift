@testable import DarkroomCore
import DarkroomSimulator
import Foundation
import Synchronization
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// A transport for download tests: API calls are not its business.
protocol DownloadOnlyTransport: HTTPTransport {}
extension DownloadOnlyTransport {
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData { throw TransportError.other("downloads only") }
}

/// A transport that writes given bytes, or writes part of them and fails, as a
/// connection killed mid-download would.
struct CannedFetcher: DownloadOnlyTransport {
    let bytes: [UInt8]
    var failAfter: Int? = nil
    var status = 200

    func download(_ url: URL, timeout: Duration, into sink: DownloadSink) async throws -> Int {
        try sink.write(bytes.prefix(failAfter ?? bytes.count))
        if failAfter != nil { throw FetchError.transport(.connectionLost("reset by peer")) }
        return status
    }
}

@Suite("Result downloads")
struct DownloadTests {
    func finishedTask(_ sim: SimulatorServer, time: ManualTime, n: Int = 1) async throws -> ImageTask {
        let client = DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey("sk-dl-test-0001")!, sleep: { time.advance(by: $0) })
        let req = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "dunes at noon", aspectRatio: "16:9", n: n)).get()
        let t = try await client.submit(req)
        time.advance(by: .seconds(120))
        return try await client.task(id: t.id)
    }

    func files(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    @Test("saves real PNGs from the simulator with a provenance sidecar, and nothing else")
    func savesPNG() async throws {
        let time = ManualTime()
        let sim = try await SimulatorServer.start(now: { time.now() })
        defer { Task { await sim.stop() } }
        let task = try await finishedTask(sim, time: time, n: 2)
        let folder = TempFolder()
        let d = ResultDownloader(resultsDirectory: folder.url)
        for (i, url) in task.resultURLs.enumerated() {
            let saved = try await d.download(url: url, taskID: task.id, localID: 1, index: i, provenance: ["prompt": "dunes at noon"]).get()
            #expect(saved.format == .png)
            #expect(saved.width == 384 && saved.height == 216)
            #expect(saved.sha256 == SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: saved.path))))
        }
        let dir = folder.url.appendingPathComponent("1-\(task.id)")
        #expect(files(in: dir) == ["0.json", "0.png", "1.json", "1.png"])
        let sidecar = try JSONParser.parse(Array(try Data(contentsOf: dir.appendingPathComponent("1.json"))))
        #expect(sidecar["prompt"] == "dunes at noon")
        #expect(sidecar["source_url"]?.stringValue == task.resultURLs[1])
        #expect(sidecar["index"] == 1)
    }

    @Test("leaves no file behind when a download breaks halfway")
    func atomic() async throws {
        let folder = TempFolder()
        var d = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: ScenePainter.png(prompt: "x", variant: 0, aspect: 1), failAfter: 100),
                                 sleep: { _ in })
        d.attempts = 2
        let r = await d.download(url: "https://x.example/0.png", taskID: "task_a", localID: 1, index: 0, provenance: [:])
        guard case .failure(.transport) = r else { Issue.record("expected a transport failure, got \(r)"); return }
        let dir = ResultDownloader(resultsDirectory: folder.url).folder(taskID: "task_a", localID: 1)
        #expect(FileManager.default.fileExists(atPath: dir.path), "the task's folder was made before the download began")
        #expect(files(in: dir) == [])
    }

    @Test("a result saved again in another format replaces the stale copy, and only that result's")
    func replacesOtherFormat() async throws {
        let folder = TempFolder()
        let png = ScenePainter.png(prompt: "x", variant: 0, aspect: 1)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                             0xFF, 0xC0, 0, 11, 8, 0, 30, 0, 40, 1, 1, 0x11, 0, 0xFF, 0xD9]
        let first = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: png))
        _ = try await first.download(url: "https://x.example/0.png", taskID: "task_f", localID: 1, index: 0, provenance: [:]).get()
        _ = try await first.download(url: "https://x.example/1.png", taskID: "task_f", localID: 1, index: 1, provenance: [:]).get()
        let again = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: jpeg))
        let saved = try await again.download(url: "https://x.example/0.png", taskID: "task_f", localID: 1, index: 0, provenance: [:]).get()
        #expect(saved.format == .jpeg)
        #expect(files(in: first.folder(taskID: "task_f", localID: 1)) == ["0.jpg", "0.json", "1.json", "1.png"])
    }

    @Test("file work (folders, syncs, renames) runs on its own queue, off Swift's cooperative threads")
    func fileWorkOffTheLoops() async {
        let onQueue = await ResultDownloader.onFileThread { DispatchQueue.getSpecific(key: ResultDownloader.fileQueueKey) == true }
        #expect(onQueue)
        #expect(DispatchQueue.getSpecific(key: ResultDownloader.fileQueueKey) == nil)
    }

    @Test("a file where the task's folder belongs is a clear error, and nothing is fetched")
    func folderBlockedByFile() async throws {
        let folder = TempFolder()
        let d = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: ScenePainter.png(prompt: "x", variant: 0, aspect: 1)))
        let blocked = d.folder(taskID: "task_b", localID: 1)
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: blocked.path, contents: Data("not a folder".utf8)))
        let r = await d.download(url: "https://x.example/0.png", taskID: "task_b", localID: 1, index: 0, provenance: [:])
        guard case let .failure(.io(message)) = r else { Issue.record("expected an I/O failure, got \(r)"); return }
        #expect(message.contains("exists and is not a folder"), "\(message)")
        #expect(try String(contentsOfFile: blocked.path, encoding: .utf8) == "not a folder")
    }

    @Test("names the file after its content: JPEG bytes behind a .png URL become .jpg")
    func extensionFollowsContent() async throws {
        let folder = TempFolder()
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                             0xFF, 0xC0, 0, 11, 8, 0, 30, 0, 40, 1, 1, 0x11, 0, 0xFF, 0xD9]
        let d = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: jpeg))
        let saved = try await d.download(url: "https://x.example/0.png", taskID: "task_j", localID: 1, index: 0, provenance: [:]).get()
        #expect(saved.format == .jpeg)
        #expect(saved.path.hasSuffix("/1-task_j/0.jpg"))
        #expect(saved.width == 40 && saved.height == 30)
    }

    @Test("refuses a file over the size cap, and content that is not an image")
    func refusals() async throws {
        let time = ManualTime()
        let sim = try await SimulatorServer.start(now: { time.now() })
        defer { Task { await sim.stop() } }
        let task = try await finishedTask(sim, time: time)
        let folder = TempFolder()
        var d = ResultDownloader(resultsDirectory: folder.url)
        d.maxBytes = 1000
        let r = await d.download(url: task.resultURLs[0], taskID: task.id, localID: 1, index: 0, provenance: [:])
        #expect(r == .failure(.tooLarge(limit: 1000)))
        #expect(files(in: folder.url.appendingPathComponent(task.id)) == [])
        let html = ResultDownloader(resultsDirectory: folder.url, transport: CannedFetcher(bytes: Array("<html>\u{1B}[2Jnope</html>".utf8)))
        let r2 = await html.download(url: "https://x/0.png", taskID: "t", localID: 1, index: 0, provenance: [:])
        #expect(r2 == .failure(.notAnImage(preview: "<html>nope</html>")))
        let ftp = await html.download(url: "ftp://x/0.png", taskID: "t", localID: 1, index: 0, provenance: [:])
        #expect(ftp == .failure(.notHTTP("ftp://x/0.png")))
    }

    @Test("reports an expired result URL as expired")
    func expired() async throws {
        let time = ManualTime()
        var config = SimulatorConfig()
        config.faults.resultTTL = .seconds(10)
        let sim = try await SimulatorServer.start(config: config, now: { time.now() })
        defer { Task { await sim.stop() } }
        let task = try await finishedTask(sim, time: time)
        let d = ResultDownloader(resultsDirectory: TempFolder().url)
        let r = await d.download(url: task.resultURLs[0], taskID: task.id, localID: 1, index: 0, provenance: [:])
        #expect(r == .failure(.expired(status: 403)))
    }

    @Test("names folders by local id and task id: two servers' same id never share one, and no id escapes")
    func safeFolders() {
        let d = ResultDownloader(resultsDirectory: URL(fileURLWithPath: "/r"))
        #expect(d.folder(taskID: "task_abc-1", localID: 7).path == "/r/7-task_abc-1")
        #expect(d.folder(taskID: "task_abc-1", localID: 8).path == "/r/8-task_abc-1")
        #expect(d.folder(taskID: "../../etc", localID: 7).path == "/r/7")
        #expect(d.folder(taskID: ".hidden", localID: 7).path == "/r/7")
        #expect(d.folder(taskID: nil, localID: 7).path == "/r/7")
    }
}
