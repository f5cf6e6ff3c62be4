/// An sRGB colour of 8 bits per channel.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `#rrggbb`, as snapshots print it.
    public var description: String {
        "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// A decoded image: 8-bit RGBA pixels, rows top to bottom.
public struct Bitmap: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: r, g, b, a.
    public let rgba: [UInt8]

    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(width > 0 && height > 0 && rgba.count == width * height * 4, "a bitmap needs width*height*4 bytes")
        self.width = width
        self.height = height
        self.rgba = rgba
    }

    /// A bitmap filled by a function of the pixel position (for fixtures and tests).
    public init(width: Int, height: Int, pixel: (Int, Int) -> (RGB, UInt8)) {
        var bytes = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let (c, a) = pixel(x, y)
                let i = (y * width + x) * 4
                bytes[i] = c.r
                bytes[i + 1] = c.g
                bytes[i + 2] = c.b
                bytes[i + 3] = a
            }
        }
        self.init(width: width, height: height, rgba: bytes)
    }

    public var byteCount: Int { rgba.count }
}
