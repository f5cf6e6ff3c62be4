import DarkroomPreview
import Foundation
import Testing

@Suite("Image decoding with libpng, libjpeg and libwebp")
struct ImageDecoderTests {
    func pixel(_ b: Bitmap, _ x: Int, _ y: Int) -> RGB {
        let i = (y * b.width + x) * 4
        return RGB(b.rgba[i], b.rgba[i + 1], b.rgba[i + 2])
    }

    @Test("a PNG from the simulator decodes to the exact pixels")
    func png() throws {
        let b = try ImageDecoder.decode(Fixtures.png(Fixtures.quadrants))
        #expect(b.width == 8 && b.height == 8)
        #expect(b == Fixtures.quadrants)
    }

    @Test("JPEG decodes to the right size and nearly the right colours")
    func jpeg() throws {
        let data = try #require(ImageEncoder.jpeg(Fixtures.quadrants, quality: 95))
        #expect(data.prefix(3) == Data([0xFF, 0xD8, 0xFF]))
        let b = try ImageDecoder.decode(data)
        #expect(b.width == 8 && b.height == 8)
        #expect(ColorMapper.distance(pixel(b, 0, 0), RGB(255, 0, 0)) < 6000)
        #expect(ColorMapper.distance(pixel(b, 7, 7), RGB(255, 255, 255)) < 6000)
        #expect(b.rgba[3] == 255)
    }

    @Test("WebP decodes to the right size and nearly the right colours, alpha kept")
    func webp() throws {
        let half = Bitmap(width: 4, height: 4) { x, _ in (RGB(0, 0, 255), x < 2 ? 255 : 0) }
        let data = try #require(ImageEncoder.webp(half, quality: 100))
        let b = try ImageDecoder.decode(data)
        #expect(b.width == 4 && b.height == 4)
        #expect(ColorMapper.distance(pixel(b, 0, 0), RGB(0, 0, 255)) < 6000)
        #expect(b.rgba[3] == 255)
        #expect(b.rgba[(0 * 4 + 3) * 4 + 3] == 0)
    }

    @Test("corrupt, truncated, empty and foreign files give a message, never a crash",
          arguments: ["png-truncated", "png-garbled", "jpeg-header-only", "webp-truncated", "empty", "text"])
    func corrupt(_ kind: String) throws {
        let png = Fixtures.png(Fixtures.quadrants)
        let jpeg = try #require(ImageEncoder.jpeg(Fixtures.quadrants))
        let webp = try #require(ImageEncoder.webp(Fixtures.quadrants))
        var garbled = png
        for i in 40..<min(garbled.count, 60) { garbled[i] ^= 0x5A }
        let data: Data = switch kind {
        case "png-truncated": png.prefix(png.count / 2)
        case "png-garbled": garbled
        case "jpeg-header-only": jpeg.prefix(20)
        case "webp-truncated": webp.prefix(webp.count / 2)
        case "empty": Data()
        default: Data("hello, not an image".utf8)
        }
        #expect(throws: PreviewFailure.self) { try ImageDecoder.decode(data) }
        do { _ = try ImageDecoder.decode(data) } catch {
            #expect(!error.message.isEmpty)
        }
    }

    @Test("a missing file says it is gone")
    func missing() {
        #expect(throws: PreviewFailure("the file is gone: /nonexistent/x.png")) { try ImageDecoder.decode(file: "/nonexistent/x.png") }
    }

    @Test("the format comes from the bytes, not the name: a JPEG named .png decodes")
    func byBytes() throws {
        let path = try Fixtures.file(try #require(ImageEncoder.jpeg(Fixtures.quadrants)), "really-a-jpeg.png")
        #expect(try ImageDecoder.decode(file: path).width == 8)
    }
}
