import DarkroomCore
import DarkroomHistory
import DarkroomStudio
import DarkroomPreview
import DarkroomSimulator
import DarkroomTUI
import Foundation

/// Issue 12's figures: selecting a task to its preview on screen (1K and 4K,
/// cells and kitty, decode cached or not), bytes a kitty preview sends and a
/// second visit sends, the gallery's first screen with 1,000 pictures in history
/// (thumbnails warm), and the error of half blocks against block cells.
enum PictureBenchmark {
    static func picture(_ w: Int, _ h: Int, folder: URL, name: String) throws -> (path: String, record: TaskRecord) {
        let rgb = ScenePainter.paint(prompt: "a lighthouse at dusk", variant: 0, width: w, height: h)
        let path = folder.appendingPathComponent("\(name).png").path
        try Data(ImageEncoder.png(width: w, height: h, rgb: rgb) ?? []).write(to: URL(fileURLWithPath: path))
        var t = TaskRecord(localID: 1, taskID: "task_bench", profile: "bench", baseURL: "https://bench.invalid",
                           request: ImageRequest(model: "NanoBanana2-4K", prompt: "a lighthouse at dusk", aspectRatio: "16:9"),
                           state: .succeeded, createdAt: Date(), updatedAt: Date())
        t.results = [ResultRecord(index: 0, url: "https://bench.invalid/0.png", state: .saved,
                                  file: SavedResult(path: path, bytes: 0, format: .png, width: w, height: h, sha256: name), attempts: 1)]
        return (path, t)
    }

    static func run(folder: URL) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Selecting a task to its preview on screen: the worker's render, update, the frame,
        // and for kitty the upload's bytes made (the terminal's own drawing is not counted).
        for (label, w, h) in [("1K", 1024, 1024), ("4K", 3840, 2160)] {
            let (_, record) = try picture(w, h, folder: folder, name: "select-\(label)")
            for graphics in [GraphicsProtocol.cells, .kitty, .sixel, .iterm2] {
                var cold: [Double] = [], warm: [Double] = []
                var bytes = 0, second = 0
                for round in 0..<5 {
                    let worker = PreviewWorker { _, _ in }
                    defer { worker.stop() }
                    for pass in 0..<2 {
                        var s = AppState(width: 160, height: 50, connectionLabel: "bench")
                        s.graphics = graphics
                        s.cellPixels = CellPixels(width: 10, height: 20)
                        var sent = 0
                        let t = ms {
                            // The list arrives with the task selected: its preview is asked for.
                            let asked = update(&s, .tasksLoaded([record], replace: true)).compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
                            guard asked.count == 1 else { fatalError("asked for \(asked.count) previews") }
                            for k in asked {
                                guard case let .ready(image) = worker.render(k) else { continue }
                                for e in update(&s, .previewReady(k, image)) {
                                    if case let .uploadPicture(id, png, c, r) = e { sent += KittyGraphics.upload(png: png, id: id, columns: c, rows: r, tmux: false).utf8.count }
                                }
                            }
                            let frame = AppView.render(s, now: Date()).screen
                            // iTerm2 and sixel: the bytes sent over the cells after the frame.
                            for p in frame.placements { sent += InlinePictures.bytes(p.picture, columns: p.rect.width, rows: p.rect.height).utf8.count }
                        }
                        (pass == 0 ? { cold.append(t) } : { warm.append(t) })()
                        if round == 0 && pass == 0 { bytes = sent }
                        // A second visit: away and back, in the same state.
                        if round == 0 && pass == 0 {
                            _ = update(&s, .key(.char("v")))
                            _ = update(&s, .key(.escape))
                            let back = update(&s, .tasksLoaded([record], replace: true))
                            second = back.reduce(0) { n, e in if case let .uploadPicture(_, png, _, _) = e { return n + png.count } else { return n } }
                        }
                    }
                }
                report("select → preview on screen, \(label) (\(w)x\(h)), \(graphics.rawValue), uncached (median of 5)", median(cold), unit: "ms",
                       target: label == "1K" ? "< 250 ms" : "-")
                report("  the same, decode cached (median of 5)", median(warm), unit: "ms", target: label == "1K" ? "< 100 ms" : "-")
                if graphics == .kitty {
                    report("  bytes sent for the kitty preview (detail box, 160x50)", Double(bytes) / 1024, unit: "KiB", target: "-")
                    report("  upload bytes on a second visit", Double(second), unit: "B", target: "0")
                } else if graphics != .cells {
                    report("  bytes sent for the \(graphics.label) preview (detail box, 160x50; again at each redraw)", Double(bytes) / 1024, unit: "KiB", target: "-")
                }
            }
        }

        // The gallery's first screen with 1,000 pictures in history, thumbnails warm.
        let path = folder.appendingPathComponent("gallery.sqlite").path
        let store = try HistoryStore(path: path)
        try await HistorySeeder.seed(store, count: 1150, days: 30, profile: "demo", endpoint: "https://bench.invalid")
        let pictures = folder.appendingPathComponent("gallery-pictures")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        let png = ScenePainter.png(prompt: "a red fox in fog", variant: 0, aspect: 1.5, longSide: 1024)
        var made = 0
        try await HistorySeeder.attachFiles(store, limit: 1150, paint: { task, index in
            guard made < 1000 else { return nil }
            made += 1
            let url = pictures.appendingPathComponent("\(task.localID)-\(index).png")
            try Data(png).write(to: url)
            return SavedResult(path: url.path, bytes: png.count, format: .png, width: 1024, height: 683, sha256: "\(task.localID)-\(index)")
        })
        let thumbnails = ThumbnailCache(directory: folder.appendingPathComponent("thumbnails"))
        func galleryScreen(_ graphics: GraphicsProtocol) async throws -> Double {
            let worker = PreviewWorker(thumbnails: thumbnails) { _, _ in }
            defer { worker.stop() }
            return try await ms {
                var s = AppState(width: 200, height: 60, connectionLabel: "bench")
                s.graphics = graphics
                _ = update(&s, .tasksLoaded(try await store.searchWithDetails(HistoryQuery(limit: 200)), replace: true))
                _ = update(&s, .key(.f(3)))
                let asked = update(&s, .key(.char("g"))).compactMap { if case let .renderPreview(k) = $0 { return k } else { return nil } }
                guard asked.count >= 40 else { fatalError("the gallery asked for \(asked.count) thumbnails") }
                for k in asked { if case let .ready(image) = worker.render(k) { _ = update(&s, .previewReady(k, image)) } }
                _ = AppView.render(s, now: Date())
            }
        }
        let first = try await galleryScreen(.cells)
        report("gallery first screen, 200x60, 1,000 pictures, thumbnails cold", first, unit: "ms", target: "-")
        var warm: [Double] = []
        for _ in 0..<5 { warm.append(try await galleryScreen(.cells)) }
        report("gallery first screen, 200x60, 1,000 pictures, thumbnails warm (median of 5)", median(warm), unit: "ms", target: "< 300 ms")

        // Half blocks against block cells, on the demo's pictures at 60x30.
        var half = 0.0, blocks = 0.0
        let prompts = ["a lighthouse at dusk, oil painting", "a red fox in heavy fog, 35mm film", "一只猫 on a tin roof at night, ukiyo-e",
                       "a neon street in the rain", "a paper crane on a desk", "a koi pond in spring, watercolor"]
        for (i, p) in prompts.enumerated() {
            let bitmap = try ImageDecoder.decode(Data(ScenePainter.png(prompt: p, variant: i, aspect: [1, 1.5, 0.75][i % 3])))
            let size = PreviewImage.fittedSize(width: bitmap.width, height: bitmap.height, columns: 60, rows: 30)
            let sub = BitmapScaler.resize(bitmap, width: size.columns * 2, height: size.rows * 4)
            half += BlockCells.halfBlocks(subpixels: sub, columns: size.columns, rows: size.rows).error(against: sub)
            blocks += BlockCells(subpixels: sub, columns: size.columns, rows: size.rows).error(against: sub)
        }
        report("cell error, half blocks (mean abs per channel, 6 demo pictures)", half / Double(prompts.count), unit: "/255", target: "-")
        report("cell error, block cells", blocks / Double(prompts.count), unit: "/255", target: "lower")
    }
}
