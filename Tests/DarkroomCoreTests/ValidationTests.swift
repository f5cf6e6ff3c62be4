import DarkroomTestSupport
import Testing
@testable import DarkroomCore

@Suite("Request validation")
struct ValidationTests {
    func problems(_ r: ImageRequest) -> [ValidationProblem] {
        if case let .failure(f) = RequestValidator.validate(r) { return f.problems }
        return []
    }

    func gpt(_ prompt: String = "a cat", size: String? = "1024x1024") -> ImageRequest {
        ImageRequest(model: "gpt-image-2", prompt: prompt, size: size)
    }

    @Test("accepts a minimal gpt-image-2 request and fills the defaults")
    func minimalGPT() throws {
        let v = try RequestValidator.validate(gpt()).get()
        #expect(v.taskType == .text2image)
        #expect(v.quality == .medium)
        #expect(v.outputFormat == .png)
        #expect(v.n == 1)
        #expect(v.tier == .k1)
    }

    @Test("refuses an unknown model and suggests the right spelling")
    func unknownModel() {
        let p = problems(ImageRequest(model: "GPT-Image-2", prompt: "x", size: "1024x1024"))
        #expect(p.count == 1)
        #expect(p[0].field == .model)
        #expect(p[0].message.contains("unknown model \"GPT-Image-2\"; did you mean gpt-image-2?"))
    }

    @Test("passes an unknown model through only when asked, with a warning")
    func unknownModelOverride() throws {
        let v = try RequestValidator.validate(ImageRequest(model: "NanoBanana3-1K", prompt: "x", aspectRatio: "1:1", allowUnknownModel: true)).get()
        #expect(v.model == nil)
        #expect(v.aspectRatio == .r1x1)
        #expect(v.warnings.count == 1)
    }

    @Test("refuses an empty prompt and a prompt of only whitespace")
    func prompt() {
        #expect(problems(gpt("")).map(\.message) == ["the prompt is empty; say what to draw"])
        #expect(problems(gpt(" \n\t ")).map(\.message) == ["the prompt is only whitespace; say what to draw"])
    }

    @Test("requires a size from the table for gpt-image-2")
    func gptSize() {
        let missing = problems(gpt(size: nil))
        #expect(missing.map(\.field) == [.size])
        #expect(missing[0].message.hasPrefix("gpt-image-2 needs a size"))
        let wrong = problems(gpt(size: "1000x1000"))
        #expect(wrong.map(\.field) == [.size])
        #expect(wrong[0].message.contains("1000x1000 is not a gpt-image-2 size; the nearest is 1024x1024"))
    }

    @Test("refuses an aspect ratio for gpt-image-2 and points to a size")
    func gptRatio() {
        var r = gpt()
        r.aspectRatio = "16:9"
        let p = problems(r)
        #expect(p.map(\.field) == [.aspectRatio])
        #expect(p[0].message.contains("does not take an aspect ratio"))
        #expect(p[0].message.contains("1360x768") || p[0].message.contains("1536x864"))
    }

    @Test("refuses size and quality for NanoBanana, saying the model name chooses the tier")
    func nanoSizeQuality() {
        let p = problems(ImageRequest(model: "NanoBanana2-1K", prompt: "x", size: "1024x1024", quality: "high"))
        #expect(p.map(\.field) == [.size, .quality])
        #expect(p.allSatisfy { $0.message.contains("the tier is chosen by the model name") })
    }

    @Test("refuses a ratio NanoBanana does not take")
    func nanoRatio() {
        let p = problems(ImageRequest(model: "NanoBananaPro-2K", prompt: "x", aspectRatio: "7:5"))
        #expect(p.map(\.field) == [.aspectRatio])
        #expect(p[0].message.contains("choose one of 1:1, 2:3"))
    }

    @Test("refuses a format the model does not offer")
    func format() {
        let p = problems(ImageRequest(model: "NanoBanana2-0.5K", prompt: "x", outputFormat: "webp"))
        #expect(p.map(\.message) == ["webp is not offered by NanoBanana2-0.5K; choose png or jpeg"])
        #expect(problems(ImageRequest(model: "NanoBanana", prompt: "x", outputFormat: "webp")).isEmpty)
        #expect(problems(ImageRequest(model: "NanoBanana", prompt: "x", outputFormat: "gif")).map(\.field) == [.outputFormat])
    }

    @Test("reads jpg as jpeg")
    func jpg() throws {
        let v = try RequestValidator.validate(ImageRequest(model: "NanoBanana", prompt: "x", outputFormat: "JPG")).get()
        #expect(v.outputFormat == .jpeg)
    }

    @Test("refuses a quality outside low, medium and high")
    func qualityRange() {
        var r = gpt()
        r.quality = "ultra"
        #expect(problems(r).map(\.message) == ["quality must be low, medium or high (got \"ultra\")"])
    }

    @Test("refuses n outside 1 to 8", arguments: [0, -1, 9, 100])
    func nRange(n: Int) {
        var r = gpt()
        r.n = n
        #expect(problems(r).map(\.message) == ["n must be between 1 and 8 (got \(n))"])
    }

    @Test("checks the task type against the reference images")
    func taskType() {
        var r = gpt()
        r.taskType = "image2image"
        #expect(problems(r).map(\.field) == [.taskType])
        r.taskType = "text2image"
        r.references = ["https://example.com/a.png"]
        #expect(problems(r).map(\.field) == [.taskType])
        r.taskType = "sketch2image"
        #expect(problems(r).map(\.field) == [.taskType])
    }

    @Test("infers image2image from a reference image")
    func inferred() throws {
        var r = gpt()
        r.references = ["https://example.com/a.png"]
        #expect(try RequestValidator.validate(r).get().taskType == .image2image)
    }

    @Test("refuses a reference that is neither an http(s) URL nor a readable file")
    func badReference() {
        var r = gpt()
        r.references = ["ftp://example.com/a.png"]
        #expect(problems(r)[0].message.contains("neither an http(s) URL nor a readable local file (http, https and file links are accepted)"))
        r.references = ["/no/such/file.png"]
        #expect(problems(r)[0].message.contains("neither an http(s) URL nor a readable local file"))
    }

    @Test("checks local files by their magic bytes, not their names")
    func magicBytes() throws {
        let dir = TempDir()
        let fake = dir.file("fake.png", Array("not an image at all".utf8))
        let jpeg = dir.file("photo.png", Fixtures.jpegHeader)
        let webp = dir.file("w.bin", Fixtures.webpHeader)
        var r = gpt()
        r.references = [fake]
        #expect(problems(r)[0].message.contains("is not a PNG, JPEG or WebP image"))
        r.references = [jpeg, webp]
        let v = try RequestValidator.validate(r).get()
        guard case let .files(files) = v.references else { Issue.record("expected files"); return }
        #expect(files.map(\.format) == [.jpeg, .webp])
    }

    @Test("refuses a local file over 20 MiB")
    func tooLarge() {
        let dir = TempDir()
        let big = dir.file("big.png", Fixtures.pngHeader + [UInt8](repeating: 0, count: 20 * 1024 * 1024))
        var r = gpt()
        r.references = [big]
        #expect(problems(r)[0].message.contains("a reference file may be at most 20 MiB"))
    }

    @Test("refuses local files mixed with URLs")
    func mixed() {
        let dir = TempDir()
        let png = dir.file("a.png", Fixtures.pngHeader)
        var r = gpt()
        r.references = [png, "https://example.com/b.png"]
        #expect(problems(r).map(\.message) == ["local files and URLs cannot be mixed in one request; upload files or link URLs, not both"])
    }

    @Test("returns every problem at once")
    func everything() {
        let r = ImageRequest(model: "gpt-image-2", prompt: "", taskType: "image2image", aspectRatio: "1:1", quality: "max", n: 0, outputFormat: "bmp")
        #expect(Set(problems(r).map(\.field)) == [.prompt, .size, .aspectRatio, .quality, .n, .outputFormat, .taskType])
    }
}
