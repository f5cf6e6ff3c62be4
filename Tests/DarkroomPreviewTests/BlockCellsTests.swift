import DarkroomPreview
import DarkroomSimulator
import Foundation
import Testing

/// Block symbols chosen per cell, against half blocks.
@Suite("Block cells")
struct BlockCellsTests {
    let red = RGB(255, 0, 0), blue = RGB(0, 0, 255), white = RGB(255, 255, 255)

    /// One cell's 2x4 sub-pixels from a function of (x, y).
    func cell(_ f: (Int, Int) -> RGB) -> [RGB] { (0..<4).flatMap { y in (0..<2).map { x in f(x, y) } } }

    @Test("edges inside a cell: a vertical split is ▌, quadrants and diagonals their symbols, a low line ▂; each exact where half blocks blur")
    func symbols() {
        let cases: [(String, [RGB], Unicode.Scalar)] = [
            ("left red, right blue", cell { x, _ in x == 0 ? red : blue }, "▌"),
            ("top-left quadrant", cell { x, y in x == 0 && y < 2 ? red : white }, "▘"),
            ("diagonal", cell { x, y in (x == 0) == (y < 2) ? red : blue }, "▚"),
            ("a line along the bottom", cell { _, y in y == 3 ? red : white }, "▂"),
            ("top half", cell { _, y in y < 2 ? red : blue }, "▀"),
        ]
        for (what, pixels, symbol) in cases {
            let b = BlockCells(subpixels: pixels, columns: 1, rows: 1)
            #expect(b.cells[0].symbol == symbol, "\(what)")
            #expect(b.error(against: pixels) == 0, "\(what)")
            if symbol != "▀" {
                #expect(BlockCells.halfBlocks(subpixels: pixels, columns: 1, rows: 1).error(against: pixels) > 20, "\(what)")
            }
        }
        // A plain cell stays an upper half block of one colour.
        let plain = BlockCells(subpixels: cell { _, _ in red }, columns: 1, rows: 1).cells[0]
        #expect(plain.symbol == "▀" && plain.fg == red && plain.bg == red)
    }

    @Test("on the demo's pictures the block cells are never worse than half blocks, and better on the whole")
    func demoPictures() throws {
        let prompts = ["a lighthouse at dusk, oil painting", "a red fox in heavy fog, 35mm film", "一只猫 on a tin roof at night, ukiyo-e",
                       "a neon street in the rain", "a paper crane on a desk"]
        var half = 0.0, blocks = 0.0
        for (i, prompt) in prompts.enumerated() {
            let bitmap = try ImageDecoder.decode(Data(ScenePainter.png(prompt: prompt, variant: i, aspect: [1, 1.5, 0.75][i % 3])))
            let size = PreviewImage.fittedSize(width: bitmap.width, height: bitmap.height, columns: 40, rows: 20)
            let sub = BitmapScaler.resize(bitmap, width: size.columns * 2, height: size.rows * 4)
            let h = BlockCells.halfBlocks(subpixels: sub, columns: size.columns, rows: size.rows).error(against: sub)
            let b = BlockCells(subpixels: sub, columns: size.columns, rows: size.rows).error(against: sub)
            #expect(b <= h + 1e-9, "\(prompt): \(b) against \(h)")
            half += h
            blocks += b
        }
        #expect(blocks < half * 0.95, "block cells \(blocks / 5), half blocks \(half / 5)")
    }
}
