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

    /// The best block symbol per cell (nil for a real picture): what 256-colour
    /// and direct-colour terminals are drawn with.
    public var blocks: BlockCells?

    /// For the kitty protocol: the picture as a PNG scaled to the box in pixels,
    /// to be uploaded once and shown by placeholder cells (nil for half blocks).
    public var picture: TerminalPicture?

    /// Behind transparent pixels.
    public static let background = RGB(24, 24, 24)

    /// Fits `bitmap` into `columns` x `rows` cells, keeping its aspect ratio:
    /// sampled as 2x4 pixels per cell, kept both as half blocks (`top`, `bottom`:
    /// each the mean of its half) and as `blocks` (the best block symbol per cell).
    public init(fitting bitmap: Bitmap, columns: Int, rows: Int) {
        let size = Self.fittedSize(width: bitmap.width, height: bitmap.height, columns: columns, rows: rows)
        let sub = BitmapScaler.resize(bitmap, width: size.columns * 2, height: size.rows * 4)
        let half = BlockCells.halfBlocks(subpixels: sub, columns: size.columns, rows: size.rows)
        self.columns = size.columns
        self.rows = size.rows
        self.top = half.cells.map(\.fg)
        self.bottom = half.cells.map(\.bg)
        self.blocks = BlockCells(subpixels: sub, columns: size.columns, rows: size.rows)
        self.sourceWidth = bitmap.width
        self.sourceHeight = bitmap.height
    }

    /// Fits `bitmap` into `columns` x `rows` cells of `cell` pixels as a real
    /// picture: scaled down to the pixels the box shows (never up: the terminal
    /// stretches a small picture over its cells), encoded as PNG. Nil when the
    /// encoder fails.
    public init?(picture bitmap: Bitmap, columns: Int, rows: Int, cell: CellPixels, format: PictureFormat = .kitty) {
        let boxW = Double(columns * cell.width), boxH = Double(rows * cell.height)
        let scale = min(boxW / Double(bitmap.width), boxH / Double(bitmap.height))
        let shownW = Double(bitmap.width) * scale, shownH = Double(bitmap.height) * scale
        let c = max(1, min(columns, Int((shownW / Double(cell.width)).rounded())))
        let r = max(1, min(rows, Int((shownH / Double(cell.height)).rounded())))
        let w = max(1, min(bitmap.width, Int(shownW.rounded()))), h = max(1, min(bitmap.height, Int(shownH.rounded())))
        let pixels = BitmapScaler.resize(bitmap, width: w, height: h)
        var rgb = [UInt8]()
        rgb.reserveCapacity(w * h * 3)
        for p in pixels { rgb.append(p.r); rgb.append(p.g); rgb.append(p.b) }
        let encoded = format == .sixel ? ImageEncoder.sixel(width: w, height: h, rgb: rgb) : ImageEncoder.png(width: w, height: h, rgb: rgb)
        guard let payload = encoded else { return nil }
        self.columns = c
        self.rows = r
        top = []
        bottom = []
        sourceWidth = bitmap.width
        sourceHeight = bitmap.height
        picture = TerminalPicture(format: format, payload: payload, pixelWidth: w, pixelHeight: h)
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

/// A picture for a graphics protocol: its bytes (a PNG for kitty and iTerm2, a
/// sixel sequence), its size, and for kitty the id the terminal knows it by
/// once uploaded (given by the TUI's state).
public struct TerminalPicture: Equatable, Sendable {
    public let format: PictureFormat
    /// Kitty: emptied once uploaded (the terminal keeps the picture, the state
    /// need not). iTerm2 and sixel: kept, sent again at each redraw.
    public var payload: [UInt8]
    public let pixelWidth: Int
    public let pixelHeight: Int
    public var imageID: Int?

    public init(format: PictureFormat = .kitty, payload: [UInt8], pixelWidth: Int, pixelHeight: Int, imageID: Int? = nil) {
        self.format = format
        self.payload = payload
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        self.imageID = imageID
    }
}
