/// Cells drawn with block symbols chosen per cell, better than half blocks
/// alone: each cell is sampled as 2x4 pixels (cells are about twice as tall as
/// wide, so these are about square), and of the block symbols that split a
/// cell in two (halves, quadrants, diagonals, quarters, full) the one whose two
/// colours (each the mean of its pixels) leave the least error is drawn. The
/// upper half block is one of the candidates, so a cell is never worse than
/// half blocks; edges, corners and thin lines come out sharper. Only symbols
/// of U+2580..U+259F, in nearly every monospace font, are used.
public struct BlockCells: Equatable, Sendable {
    /// One cell: the symbol, its foreground (the mask's pixels) and background (the rest).
    public struct Cell: Equatable, Sendable {
        public let symbol: Unicode.Scalar
        public let fg: RGB
        public let bg: RGB
    }

    public let columns: Int
    public let rows: Int
    public let cells: [Cell]

    /// The symbols and the sub-pixels each covers: bit `row * 2 + column` of a
    /// 2x4 grid (row 0 at the top). A mask and its complement draw the same
    /// cell with the colours swapped, so only one of each pair is listed.
    static let candidates: [(mask: UInt8, symbol: Unicode.Scalar)] = [
        (0x0F, "▀"), (0xFF, "█"), (0x55, "▌"), (0x05, "▘"), (0x0A, "▝"), (0x50, "▖"),
        (0xA0, "▗"), (0xA5, "▚"), (0x5A, "▞"), (0xC0, "▂"), (0xFC, "▆"),
    ]

    /// The cells of `pixels`, a `2 * columns` x `4 * rows` grid row by row.
    public init(subpixels pixels: [RGB], columns: Int, rows: Int) {
        precondition(pixels.count == columns * rows * 8, "2x4 pixels per cell")
        self.columns = columns
        self.rows = rows
        var out: [Cell] = []
        out.reserveCapacity(columns * rows)
        let stride = columns * 2
        for r in 0..<rows {
            for c in 0..<columns {
                var p = [RGB](repeating: RGB(0, 0, 0), count: 8)
                for y in 0..<4 { for x in 0..<2 { p[y * 2 + x] = pixels[(r * 4 + y) * stride + c * 2 + x] } }
                out.append(Self.best(p))
            }
        }
        cells = out
    }

    /// Fits `bitmap` into `columns` x `rows` cells keeping its aspect ratio (as `PreviewImage` does).
    public init(fitting bitmap: Bitmap, columns: Int, rows: Int) {
        let size = PreviewImage.fittedSize(width: bitmap.width, height: bitmap.height, columns: columns, rows: rows)
        self.init(subpixels: BitmapScaler.resize(bitmap, width: size.columns * 2, height: size.rows * 4), columns: size.columns, rows: size.rows)
    }

    /// The symbol whose two colours leave the least squared error.
    static func best(_ p: [RGB]) -> Cell {
        var total = (0, 0, 0)
        for c in p { total.0 += Int(c.r); total.1 += Int(c.g); total.2 += Int(c.b) }
        var bestScore = -1.0
        var choice = (mask: UInt8(0x0F), symbol: Unicode.Scalar("▀"), fg: (0, 0, 0), n: 4)
        // Least error = most of |sum in|²/n_in + |sum out|²/n_out (the rest is the same for all).
        for cand in candidates {
            var s = (0, 0, 0), n = 0
            for i in 0..<8 where cand.mask & (1 << i) != 0 {
                s.0 += Int(p[i].r); s.1 += Int(p[i].g); s.2 += Int(p[i].b)
                n += 1
            }
            let o = (total.0 - s.0, total.1 - s.1, total.2 - s.2)
            let inside = Double(s.0 * s.0 + s.1 * s.1 + s.2 * s.2) / Double(n)
            let outside = n == 8 ? 0 : Double(o.0 * o.0 + o.1 * o.1 + o.2 * o.2) / Double(8 - n)
            // Ties keep the earlier (simpler) symbol.
            if inside + outside > bestScore + 1e-9 {
                bestScore = inside + outside
                choice = (cand.mask, cand.symbol, s, n)
            }
        }
        let n = choice.n
        let fg = RGB(UInt8((choice.fg.0 + n / 2) / n), UInt8((choice.fg.1 + n / 2) / n), UInt8((choice.fg.2 + n / 2) / n))
        guard n < 8 else { return Cell(symbol: choice.symbol, fg: fg, bg: fg) }
        let m = 8 - n
        let o = (total.0 - choice.fg.0, total.1 - choice.fg.1, total.2 - choice.fg.2)
        let bg = RGB(UInt8((o.0 + m / 2) / m), UInt8((o.1 + m / 2) / m), UInt8((o.2 + m / 2) / m))
        return Cell(symbol: choice.symbol, fg: fg, bg: bg)
    }

    /// What cell `i` shows, as its 2x4 sub-pixels.
    func shown(_ i: Int) -> [RGB] {
        let cell = cells[i]
        let mask = Self.candidates.first { $0.symbol == cell.symbol }?.mask ?? 0x0F
        return (0..<8).map { mask & (1 << $0) != 0 ? cell.fg : cell.bg }
    }

    /// The mean absolute error per channel (0...255) between `pixels` (the 2x4
    /// sub-pixel grid) and what these cells show.
    public func error(against pixels: [RGB]) -> Double {
        var sum = 0
        let stride = columns * 2
        for r in 0..<rows {
            for c in 0..<columns {
                let shown = self.shown(r * columns + c)
                for y in 0..<4 {
                    for x in 0..<2 {
                        let a = pixels[(r * 4 + y) * stride + c * 2 + x], b = shown[y * 2 + x]
                        sum += abs(Int(a.r) - Int(b.r)) + abs(Int(a.g) - Int(b.g)) + abs(Int(a.b) - Int(b.b))
                    }
                }
            }
        }
        return Double(sum) / Double(max(1, pixels.count * 3))
    }

    /// Half blocks over the same grid: each cell's upper and lower half averaged
    /// (what the upper half block shows), for comparison.
    public static func halfBlocks(subpixels pixels: [RGB], columns: Int, rows: Int) -> BlockCells {
        var cells: [Cell] = []
        let stride = columns * 2
        for r in 0..<rows {
            for c in 0..<columns {
                func mean(_ ys: Range<Int>) -> RGB {
                    var s = (0, 0, 0)
                    for y in ys { for x in 0..<2 { let p = pixels[(r * 4 + y) * stride + c * 2 + x]; s.0 += Int(p.r); s.1 += Int(p.g); s.2 += Int(p.b) } }
                    return RGB(UInt8((s.0 + 2) / 4), UInt8((s.1 + 2) / 4), UInt8((s.2 + 2) / 4))
                }
                cells.append(Cell(symbol: "▀", fg: mean(0..<2), bg: mean(2..<4)))
            }
        }
        return BlockCells(columns: columns, rows: rows, cells: cells)
    }

    private init(columns: Int, rows: Int, cells: [Cell]) {
        self.columns = columns
        self.rows = rows
        self.cells = cells
    }
}
