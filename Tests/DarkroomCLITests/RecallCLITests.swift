import DarkroomCLI
import DarkroomCore
import DarkroomHistory
import DarkroomSimulator
import Foundation
import Testing

/// Copies that leave the history carry their request; `recall` gives it back.
@Suite("Export with the story inside, and recall")
struct RecallCLITests {
    @Test("export and download --to write the story into PNG, JPEG and WebP copies; the originals keep their SHA-256; recall gives back every field")
    func exportAndRecall() async throws {
        let h = CLIHarness()
        let sim = try await h.startSimulator { $0.speed = 50 }
        defer { Task { await sim.stop() } }
        let env = CLIHarness.env(sim)
        #expect(await h.run(["submit", "--model", "gpt-image-2", "--size", "1536x1024", "--quality", "high", "--prompt", "a lighthouse, \"dusk\"", "--wait"], env: env) == 0)
        #expect(await h.run(["submit", "--model", "NanoBanana", "--aspect-ratio", "16:9", "--format", "jpeg", "--prompt", "一只猫在屋顶上", "--wait"], env: env) == 0)
        #expect(await h.run(["submit", "--from", "#1", "--model", "NanoBanana", "--format", "webp", "--prompt", "the same, at night", "--wait"], env: env) == 0)
        let store = try HistoryStore(path: h.home.path + "/data/darkroom/history.sqlite")
        let out = h.home.appendingPathComponent("out")
        #expect(await h.run(["export", out.path], env: env) == 0, "\(h.stderr)")
        for id: Int64 in [1, 2, 3] {
            let r = try #require(try await store.record(localID: id))
            let file = try #require(r.results.first?.file)
            // The original is what the server sent.
            #expect(SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: file.path)))) == file.sha256)
            let copy = out.appendingPathComponent("pictures/" + GalleryExport.fileName(r, r.results[0]))
            #expect(await h.run(["recall", copy.path, "--json"]) == 0, "\(h.stderr)")
            let j = try JSONParser.parse(h.stdout)
            #expect(j["prompt"]?.stringValue == r.request.prompt)
            #expect(j["model"]?.stringValue == r.request.model)
            #expect(j["task_id"]?.stringValue == r.taskID)
            #expect(j["size"]?.stringValue == r.request.size && j["aspect_ratio"]?.stringValue == r.request.aspectRatio)
            #expect(j["host"]?.stringValue == "127.0.0.1")
            #expect(j["source"]?.stringValue == "inside the file (darkroom XMP)")
            #expect(j["parents"]?.arrayValue?.count == (id == 3 ? 1 : 0))
        }
        let downloaded = h.home.appendingPathComponent("dl")
        #expect(await h.run(["download", "#2", "--to", downloaded.path], env: env) == 0)
        #expect(await h.run(["recall", h.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]) == 0)
        #expect(h.stdout.contains("prompt   一只猫在屋顶上") && h.stdout.contains("again    darkroom submit --model NanoBanana --aspect-ratio 16:9"))
        // The original in the results folder: found by its bytes in the history.
        let original = try #require(try await store.record(localID: 1)?.results.first?.file?.path)
        #expect(await h.run(["recall", original]) == 0)
        #expect(h.stdout.contains("source   the history (#1, by the file's SHA-256)"))
    }

    @Test("a picture with no darkroom story says what it holds (exit 65); a file that is not a picture is exit 66")
    func nothingToRecall() async throws {
        let h = CLIHarness()
        let bare = h.home.appendingPathComponent("bare.png")
        try Data(ScenePainter.png(prompt: "x", variant: 0, aspect: 1, longSide: 32)).write(to: bare)
        #expect(await h.run(["recall", bare.path]) == 65)
        #expect(h.stderr.contains("holds no darkroom story; it holds nothing of the kind: a PNG with no generation data"))
        let png = ScenePainter.png(prompt: "x", variant: 0, aspect: 1, longSide: 32)
        let theirs = h.home.appendingPathComponent("theirs.png")
        try Data(Array(png[0..<33]) + MetadataWriter.pngChunk("tEXt", Array("parameters\u{0}a fox\nSteps: 20".utf8)) + Array(png[33...])).write(to: theirs)
        #expect(await h.run(["recall", theirs.path]) == 65)
        #expect(h.stderr.contains("it holds another tool's text:\na fox\nSteps: 20"))
        let text = h.home.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        #expect(await h.run(["recall", text.path]) == 66)
        #expect(h.stderr.contains("it is not a PNG, JPEG or WebP picture"))
        #expect(await h.run(["recall", h.home.appendingPathComponent("missing.png").path]) == 66)
    }
}
