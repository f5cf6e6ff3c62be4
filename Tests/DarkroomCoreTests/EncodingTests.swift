import DarkroomTestSupport
import Testing
@testable import DarkroomCore

@Suite("Request encoding")
struct EncodingTests {
    func body(_ r: ImageRequest) throws -> JSONValue {
        let v = try RequestValidator.validate(r).get()
        return try JSONParser.parse(RequestEncoder.json(v).bytes)
    }

    @Test("NanoBanana text2image comes out as the page's example 4.1")
    func nanoText() throws {
        let got = try body(ImageRequest(model: "NanoBanana2-0.5K", prompt: "A small red cube on a clean white desk, minimal product photo, soft daylight",
                                        taskType: "text2image", aspectRatio: "1:1", outputFormat: "png"))
        let page = try JSONParser.parse("""
        {"model": "NanoBanana2-0.5K", "task_type": "text2image",
         "prompt": "A small red cube on a clean white desk, minimal product photo, soft daylight",
         "aspect_ratio": "1:1", "output_format": "png", "n": 1, "response_format": "url"}
        """)
        #expect(got == page)
    }

    @Test("NanoBanana image2image comes out as the page's example 4.2")
    func nanoImage() throws {
        let got = try body(ImageRequest(model: "NanoBanana2-0.5K", prompt: "Turn the reference image into a clean product render",
                                        references: ["https://example.com/input.png"], aspectRatio: "16:9", outputFormat: "jpeg"))
        let page = try JSONParser.parse("""
        {"model": "NanoBanana2-0.5K", "task_type": "image2image",
         "prompt": "Turn the reference image into a clean product render",
         "image": "https://example.com/input.png", "aspect_ratio": "16:9",
         "output_format": "jpeg", "n": 1, "response_format": "url"}
        """)
        #expect(got == page)
    }

    @Test("gpt-image-2 text2image comes out as the page's example 5.1")
    func gptText() throws {
        let got = try body(ImageRequest(model: "gpt-image-2", prompt: "A small blue glass sphere on a clean white desk, minimal product photo, soft daylight",
                                        size: "1024x768", quality: "low", outputFormat: "webp"))
        let page = try JSONParser.parse("""
        {"model": "gpt-image-2", "task_type": "text2image",
         "prompt": "A small blue glass sphere on a clean white desk, minimal product photo, soft daylight",
         "size": "1024x768", "quality": "low", "output_format": "webp", "n": 1, "response_format": "url"}
        """)
        #expect(got == page)
    }

    @Test("gpt-image-2 image2image comes out as the page's example 5.2, quality medium sent by default")
    func gptImage() throws {
        let got = try body(ImageRequest(model: "gpt-image-2", prompt: "Keep the product shape, change the background to a bright studio scene",
                                        references: ["https://example.com/input.png"], size: "1024x1024"))
        let page = try JSONParser.parse("""
        {"model": "gpt-image-2", "task_type": "image2image",
         "prompt": "Keep the product shape, change the background to a bright studio scene",
         "image": "https://example.com/input.png", "size": "1024x1024", "quality": "medium",
         "output_format": "png", "n": 1, "response_format": "url"}
        """)
        #expect(got == page)
    }

    @Test("writes the keys in the page's order")
    func order() throws {
        let v = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "p", size: "1024x768")).get()
        #expect(String(decoding: RequestEncoder.json(v).bytes, as: UTF8.self)
            == #"{"model":"gpt-image-2","task_type":"text2image","prompt":"p","size":"1024x768","quality":"medium","output_format":"png","n":1,"response_format":"url"}"#)
    }

    @Test("sends several URLs as images")
    func images() throws {
        let got = try body(ImageRequest(model: "NanoBanana", prompt: "p", references: ["https://a.example/1.png", "https://a.example/2.png"]))
        #expect(got["images"] == ["https://a.example/1.png", "https://a.example/2.png"])
        #expect(got["image"] == nil)
        #expect(got["aspect_ratio"] == nil)
    }

    @Test("lists multipart text fields in the order of the page's curl example")
    func multipartFields() throws {
        let dir = TempDir()
        let png = dir.file("input.png", Fixtures.pngHeader)
        let v = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "Keep the subject, make it a clean studio product photo",
                                                           references: [png], size: "1024x1024", quality: "medium")).get()
        #expect(RequestEncoder.textFields(v).map { "\($0.0)=\($0.1)" } == [
            "model=gpt-image-2", "task_type=image2image", "prompt=Keep the subject, make it a clean studio product photo",
            "size=1024x1024", "quality=medium", "output_format=png", "n=1", "response_format=url",
        ])
        let encoded = try RequestEncoder.body(v, boundary: "BOUNDARY")
        #expect(encoded.contentType == "multipart/form-data; boundary=BOUNDARY")
        let text = String(decoding: encoded.bytes, as: UTF8.self)
        #expect(text.contains("Content-Disposition: form-data; name=\"image\"; filename=\"input.png\"\r\nContent-Type: image/png\r\n\r\n"))
        #expect(text.hasSuffix("--BOUNDARY--\r\n"))
    }

    @Test("writes a curl command with the key as a variable and form strings for text")
    func curl() throws {
        let v = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "it's @home", size: "1024x768")).get()
        let c = CurlCommand.submit(v, tasksURL: "https://api.example.com/v1/images/tasks")
        #expect(c.contains("Authorization: Bearer $DARKROOM_API_KEY"))
        #expect(c.contains(#"-d '{"model":"gpt-image-2","task_type":"text2image","prompt":"it'\''s @home""#))
        let dir = TempDir()
        let png = dir.file("in.png", Fixtures.pngHeader)
        let m = try RequestValidator.validate(ImageRequest(model: "gpt-image-2", prompt: "@etc/passwd", references: [png], size: "1024x768")).get()
        let mc = CurlCommand.submit(m, tasksURL: "https://x/v1/images/tasks")
        #expect(mc.contains("--form-string 'prompt=@etc/passwd'"))
        #expect(mc.contains("-F 'image=@\(png);type=image/png'"))
    }
}
