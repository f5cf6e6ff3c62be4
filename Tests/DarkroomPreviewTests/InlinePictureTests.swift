import DarkroomPreview
import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// iTerm2 images and sixel, as bytes: what libsixel makes decodes back to the
/// picture (within its palette's error), and iTerm2's sequence holds the PNG.
@Suite("Inline pictures: sixel and iTerm2")
struct InlinePictureTests {
    static func meanError(_ a: [UInt8], _ b: Bitmap) -> Double {
        var sum = 0
        for i in 0..<(b.width * b.height) { for c in 0..<3 { sum += abs(Int(a[i * 4 + c]) - Int(b.rgba[i * 4 + c])) } }
        return Double(sum) / Double(b.width * b.height * 3)
    }

    @Test("a picture as sixel: a DCS sequence of the fitted size whose pixels are the picture's, within a 256-colour palette")
    func sixel() throws {
        let scene = try ImageDecoder.decode(Data(ScenePainter.png(prompt: "a lighthouse at dusk", variant: 0, aspect: 1.5)))
        let p = try #require(PreviewImage(picture: scene, columns: 30, rows: 12, cell: CellPixels(width: 10, height: 20), format: .sixel))
        let picture = try #require(p.picture)
        #expect(picture.format == .sixel)
        let text = String(decoding: picture.payload, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}P") && text.hasSuffix("\u{1B}\\"))
        let decoded = try #require(SixelPicture.all(in: picture.payload).first)
        #expect(decoded.width == picture.pixelWidth && decoded.height == picture.pixelHeight)
        // Fits 30x12 cells of 10x20 pixels (300x240), never bigger.
        #expect(decoded.width <= 300 && decoded.height <= 240)
        let scaled = BitmapScaler.resize(scene, width: decoded.width, height: decoded.height)
        let expected = Bitmap(width: decoded.width, height: decoded.height, rgba: scaled.flatMap { [$0.r, $0.g, $0.b, 255] })
        let error = Self.meanError(decoded.rgba, expected)
        #expect(error < 6, "mean error \(error) per channel")
        // Every pixel painted (no holes).
        #expect(stride(from: 3, to: decoded.rgba.count, by: 4).allSatisfy { decoded.rgba[$0] == 255 })
    }

    @Test("iTerm2's inline image: OSC 1337 with the cell box and the PNG, base64")
    func iterm2() throws {
        let png: [UInt8] = Array(try #require(ImageEncoder.png(Bitmap(width: 4, height: 2) { _, _ in (RGB(1, 2, 3), 255) })))
        let text = InlinePictures.iterm2(png: png, columns: 20, rows: 10)
        #expect(text.hasPrefix("\u{1B}]1337;File=inline=1;size=\(png.count);width=20;height=10;preserveAspectRatio=1:"))
        #expect(text.hasSuffix("\u{07}"))
        let b64 = text.split(separator: ":", maxSplits: 1)[1].dropLast()
        #expect(Data(base64Encoded: String(b64)).map { [UInt8]($0) } == png)
    }
}
