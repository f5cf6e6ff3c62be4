import DarkroomPreview
import DarkroomSimulator
import Foundation

/// Decoding and fitting previews: what the preview worker does off the terminal
/// thread, per format and size, and a refit from the cached bitmap (a resize).
enum PreviewBenchmark {
    static func run(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (w, h) in [(1024, 1024), (3840, 2160)] {
            // A painted scene, not noise: compresses like a real picture.
            let rgb = ScenePainter.paint(prompt: "a lighthouse at dusk", variant: 0, width: w, height: h)
            var rgba = [UInt8](repeating: 255, count: w * h * 4)
            for i in 0..<(w * h) { rgba[i * 4] = rgb[i * 3]; rgba[i * 4 + 1] = rgb[i * 3 + 1]; rgba[i * 4 + 2] = rgb[i * 3 + 2] }
            let bitmap = Bitmap(width: w, height: h, rgba: rgba)
            let files: [(String, Data?)] = [("png", Data(ImageEncoder.png(width: w, height: h, rgb: rgb) ?? [])),
                                            ("jpeg", ImageEncoder.jpeg(bitmap)), ("webp", ImageEncoder.webp(bitmap))]
            for (format, data) in files {
                guard let data else { continue }
                let path = folder.appendingPathComponent("bench-\(w)x\(h).\(format)").path
                try data.write(to: URL(fileURLWithPath: path))
                var decode: [Double] = [], refit: [Double] = []
                for _ in 0..<5 {
                    let worker = PreviewWorker { _, _ in }
                    decode.append(ms { _ = worker.render(PreviewKey(path: path, columns: 60, rows: 30)) })
                    refit.append(ms { _ = worker.render(PreviewKey(path: path, columns: 80, rows: 40)) })
                    worker.stop()
                }
                report("\(w)x\(h) \(format.uppercased()) (\(data.count / 1024) KiB): decode + fit 60x30, median of 5",
                       median(decode), unit: "ms", target: "off the UI thread")
                report("  refit the cached bitmap to 80x40 (a resize)", median(refit), unit: "ms", target: "-")
            }
        }
    }
}
