/// An image fitted to a box of terminal cells, two pixels per cell: each cell is
/// drawn as an upper half block (▀) whose foreground is the top pixel and whose
/// background is the bottom one. Cells are about twice as tall as wide, so one
/// cell's two pixels are about square and the image keeps its aspect ratio.
public struct PreviewImage: Equatable, Sendable {
    /// Size in cells (at most the box it was fitted to).
    public let columns: Int
    public let rows: Int
    /// `columns * rows` colours each, row by row.
    public let top: [RGB]
    public let bottom: [RGB]
    /// The decoded image's own size, for captions.
    public let sourceWidth: Int
    public let sourceHeight: Int

    /// Behind transparent pixels.
    public static let background = RGB(24, 24, 24)

    /// Fits `bitmap` into `columns` x `rows` cells, keeping its aspect ratio.
    public init(fitting bitmap: Bitmap, columns: Int, rows: Int) {
        let size = Self.fittedSize(width: bitmap.width, height: bitmap.height, columns: columns, rows: rows)
        let pixels = BitmapScaler.resize(bitmap, width: size.columns, height: size.rows * 2)
        var top: [RGB] = [], bottom: [RGB] = []
        top.reserveCapacity(size.columns * size.rows)
        bottom.reserveCapacity(size.columns * size.rows)
        for r in 0..<size.rows {
            top += pixels[(2 * r * size.columns)..<((2 * r + 1) * size.columns)]
            bottom += pixels[((2 * r + 1) * size.columns)..<((2 * r + 2) * size.columns)]
        }
        self.columns = size.columns
        self.rows = size.rows
        self.top = top
        self.bottom = bottom
        self.sourceWidth = bitmap.width
        self.sourceHeight = bitmap.height
    }

    /// The largest cell box for a `width` x `height` image inside `columns` x
    /// `rows` cells (a cell is one pixel wide and two tall), at least 1x1.
    public static func fittedSize(width: Int, height: Int, columns: Int, rows: Int) -> (columns: Int, rows: Int) {
        let scale = min(Double(columns) / Double(width), Double(rows * 2) / Double(height))
        let c = max(1, min(columns, Int((Double(width) * scale).rounded())))
        let r = max(1, min(rows, Int((Double(height) * scale / 2).rounded())))
        return (c, r)
    }

    /// The colours of cell (`x`, `y`): top and bottom pixel.
    public subscript(x: Int, y: Int) -> (top: RGB, bottom: RGB) {
        (top[y * columns + x], bottom[y * columns + x])
    }
}
