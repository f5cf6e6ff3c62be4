import DarkroomPreview
import DarkroomTestSupport
import Foundation
import Testing

/// The kitty graphics protocol's bytes: uploads, deletions, tmux passthrough,
/// the diacritics table, and pictures scaled to their box in pixels.
@Suite("Kitty graphics bytes")
struct KittyGraphicsTests {
    @Test("the diacritics table is kitty's: 297 marks of class 230, in code point order")
    func diacritics() throws {
        let table = KittyGraphics.diacritics
        #expect(table.count == 297)
        #expect(zip(table, table.dropFirst()).allSatisfy { $0 < $1 })
        for v in table {
            let s = try #require(Unicode.Scalar(v))
            #expect(s.properties.canonicalCombiningClass.rawValue == 230, "U+\(String(v, radix: 16))")
            #expect(s.properties.generalCategory == .nonspacingMark)
        }
        #expect(KittyGraphics.cell(row: 0, column: 2) == "\u{10EEEE}\u{0305}\u{030E}")
        #expect(KittyGraphics.cell(row: 296, column: 296) != nil)
        #expect(KittyGraphics.cell(row: 297, column: 0) == nil)
        #expect(KittyGraphics.value(ofDiacritic: "\u{030D}") == 1)
        #expect(KittyGraphics.value(ofDiacritic: "a") == nil)
    }

    @Test("an upload is chunks of at most 4096 base64 bytes that reassemble to the PNG", arguments: [false, true])
    func upload(tmux: Bool) throws {
        let bitmap = Bitmap(width: 200, height: 150) { x, y in (RGB(UInt8(x % 256), UInt8((x * y) % 256), UInt8(y % 256)), 255) }
        let png = try #require(ImageEncoder.png(bitmap))
        let text = KittyGraphics.upload(png: [UInt8](png), id: 42, columns: 20, rows: 8, tmux: tmux)
        let reader = KittyStreamReader(Array(text.utf8))
        let up = try #require(reader.uploads.first)
        #expect(reader.uploads.count == 1)
        #expect(up.payload == [UInt8](png))
        #expect(up.chunks == (png.base64EncodedString().count + 4095) / 4096)
        #expect(up.chunks > 1)
        #expect(up.chunkSizes.allSatisfy { $0 <= 4096 })
        #expect(up.keys["a"] == "T" && up.keys["f"] == "100" && up.keys["U"] == "1" && up.keys["q"] == "2")
        #expect(up.keys["i"] == "42" && up.keys["c"] == "20" && up.keys["r"] == "8")
        #expect(reader.passthroughs == (tmux ? up.chunks : 0))
        if tmux {
            // Inside the passthrough every ESC is doubled: no bare ESC ends it early.
            #expect(text.hasPrefix("\u{1B}Ptmux;\u{1B}\u{1B}_G"))
        }
        let del = KittyStreamReader(Array(KittyGraphics.delete(id: 42, tmux: tmux).utf8))
        #expect(del.deletions == [["a": "d", "d": "I", "i": "42", "q": "2"]])
    }

    @Test("a picture is scaled to the pixels its box shows, never up, and keeps its pixels")
    func scaledToBox() throws {
        let big = Bitmap(width: 1024, height: 1024) { x, y in (RGB(UInt8(x / 4), UInt8(y / 4), 90), 255) }
        let p = try #require(PreviewImage(picture: big, columns: 24, rows: 15, cell: CellPixels(width: 10, height: 20)))
        let pic = try #require(p.picture)
        #expect(pic.pixelWidth == 240 && pic.pixelHeight == 240)
        #expect(p.columns == 24 && p.rows == 12)
        let decoded = try ImageDecoder.decode(Data(pic.payload))
        #expect(decoded.width == 240 && decoded.height == 240)
        let expected = BitmapScaler.resize(big, width: 240, height: 240)
        var error = 0
        for i in 0..<expected.count {
            error += abs(Int(decoded.rgba[i * 4]) - Int(expected[i].r)) + abs(Int(decoded.rgba[i * 4 + 1]) - Int(expected[i].g)) + abs(Int(decoded.rgba[i * 4 + 2]) - Int(expected[i].b))
        }
        #expect(error == 0, "PNG is lossless")
        // A small picture is sent as it is; the terminal stretches it over the cells.
        let small = Bitmap(width: 50, height: 100) { _, _ in (RGB(1, 2, 3), 255) }
        let s = try #require(PreviewImage(picture: small, columns: 24, rows: 15, cell: CellPixels(width: 10, height: 20)))
        #expect(s.picture?.pixelWidth == 50 && s.picture?.pixelHeight == 100)
        #expect(s.columns == 15 && s.rows == 15)
    }

    @Test("the worker makes a picture when the key names pixels")
    func worker() throws {
        let dir = TempDir()
        let file = dir.url.appendingPathComponent("a.png")
        try #require(ImageEncoder.png(Bitmap(width: 300, height: 200) { _, _ in (RGB(9, 9, 9), 255) })).write(to: file)
        let w = PreviewWorker { _, _ in }
        defer { w.stop() }
        guard case let .ready(p) = w.render(PreviewKey(path: file.path, columns: 30, rows: 10, pixels: CellPixels(width: 8, height: 16))) else {
            Issue.record("not ready"); return
        }
        // 30x10 cells of 8x16 = 240x160: 300x200 fits at 240x160.
        #expect(p.picture?.pixelWidth == 240 && p.picture?.pixelHeight == 160)
        #expect(p.columns == 30 && p.rows == 10)
    }
}
