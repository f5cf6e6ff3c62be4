import DarkroomCore
import DarkroomHistory
import DarkroomPreview
import DarkroomSimulator
import DarkroomStudio
import DarkroomTUI
import Foundation

/// Issue 28's figures: from the remix key to the request on the wire for a 4K
/// picture, and copies with their story against plain copies.
enum RemixBenchmark {
    static func run(folder: URL) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A 4K picture as a result: the simulator's scene at 3840 px, saved as PNG.
        let picture = ScenePainter.encoded(prompt: "a lighthouse at dusk", variant: 0, aspect: 16.0 / 9, longSide: 3840, format: .png)
        let path = folder.appendingPathComponent("4k.png").path
        try Data(picture).write(to: URL(fileURLWithPath: path))
        var parent = ImageRequest(model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "3840x2160")
        parent.quality = "high"
        let record = TaskRecord(localID: 1, taskID: "task_bench4k", profile: "bench", baseURL: "http://127.0.0.1", request: parent, state: .succeeded,
                                rawStatus: "succeeded", progress: 100, error: nil, resultURLs: ["http://127.0.0.1/x.png"], createdAt: Date(),
                                submittedAt: Date(), startedAt: Date(), finishedAt: Date(), updatedAt: Date(),
                                results: [ResultRecord(index: 0, url: "http://127.0.0.1/x.png", state: .saved,
                                                       file: SavedResult(path: path, bytes: picture.count, format: .png, width: 3840, height: 2160,
                                                                         sha256: SHA256.hex(picture)))],
                                events: [])
        let sim = try await SimulatorServer.start()
        let store = try HistoryStore(path: folder.appendingPathComponent("remix.sqlite").path)
        let studio = Studio(store: store, profile: "bench", client: DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey("sk-bench-remix-0001")!),
                            clock: ContinuousClock(), downloader: nil)
        try await studio.start()
        var keyToWire: [Double] = [], uploadAlone: [Double] = []
        for i in 0..<5 {
            // The key, the file looked at as the shell does, Ctrl-S: the request the Studio sends.
            var state = AppState(width: 200, height: 60, connectionLabel: "bench")
            _ = update(&state, .tasksLoaded([record], replace: true))
            _ = update(&state, .key(.f(3)))
            var request: ImageRequest?
            let t = try await ms {
                _ = update(&state, .key(.char("i")))
                _ = update(&state, .referencesInspected([path: RequestValidator.inspectFile(path)]))
                state.composer.editor.setText("a lighthouse at dusk, take \(i)")
                for e in update(&state, .key(.ctrl("s"))) { if case let .submit(r) = e { request = r } }
                guard let request else { throw BenchError(description: "Ctrl-S sent nothing: \(state.message ?? "")") }
                _ = try await studio.submit(request)
            }
            keyToWire.append(t)
            // The same bytes posted alone: what loopback itself takes for the upload.
            let body = try RequestEncoder.body(try RequestValidator.validate(request!).get(), boundary: "bench")
            let upload = HTTPRequestData(method: "POST", url: DarkroomClient.tasksURL(base: sim.baseURL),
                                         headers: [("Authorization", "Bearer sk-bench-remix-0001"), ("Content-Type", body.contentType)],
                                         body: body.bytes, timeout: .seconds(60))
            uploadAlone.append(try await ms { _ = try await CurlTransport(proxy: .none).send(upload) })
        }
        await studio.shutdown()
        await sim.stop()
        report("remix key to request on the wire, 4K PNG of \(ByteCount.text(picture.count)) (median of 5)", median(keyToWire), unit: "ms",
               target: "< 300 ms + the upload")
        report("  the same upload alone, over loopback (median of 5)", median(uploadAlone), unit: "ms", target: "-")

        // Copies of 1,000 pictures: plain, and with the story written in.
        let small = ScenePainter.encoded(prompt: "export", variant: 0, aspect: 1.5, longSide: 384, format: .png)
        let sources = folder.appendingPathComponent("sources"), plain = folder.appendingPathComponent("plain"), story = folder.appendingPathComponent("story")
        for d in [sources, plain, story] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        for i in 0..<1000 { try Data(small).write(to: sources.appendingPathComponent("\(i).png")) }
        let plainTime = try ms {
            for i in 0..<1000 {
                try FileManager.default.copyItem(atPath: sources.appendingPathComponent("\(i).png").path, toPath: plain.appendingPathComponent("\(i).png").path)
            }
        }
        let storyTime = try ms {
            for i in 0..<1000 {
                try StoryCopy.copy(sources.appendingPathComponent("\(i).png").path, to: story.appendingPathComponent("\(i).png"), record: record, index: 0)
            }
        }
        report("1,000 copies of a \(ByteCount.text(small.count)) PNG, plain (FileManager.copyItem)", plainTime, unit: "ms", target: "-")
        report("1,000 copies with the story written in (StoryCopy)", storyTime, unit: "ms", target: "≤ 1.5x plain")
        report("  ratio", storyTime / max(plainTime, 0.001), unit: "x", target: "≤ 1.5")
    }
}
