/// Resizes bitmaps with filtering: an exact area average (box filter) when
/// shrinking, bilinear when enlarging. Never nearest-pixel sampling, so a
/// preview of a detailed image shows its average colours instead of noise.
/// Transparent pixels are blended over `background`.
public enum BitmapScaler {
    public static func resize(_ b: Bitmap, width: Int, height: Int, background: RGB = PreviewImage.background) -> [RGB] {
        precondition(width > 0 && height > 0, "a target size must be positive")
        let xw = weights(source: b.width, target: width)
        let yw = weights(source: b.height, target: height)
        // Horizontal pass into premultiplied floats, then vertical.
        var rows = [Float](repeating: 0, count: width * b.height * 4)
        b.rgba.withUnsafeBufferPointer { px in
            for y in 0..<b.height {
                for x in 0..<width {
                    var acc: (Float, Float, Float, Float) = (0, 0, 0, 0)
                    for (j, w) in xw[x] {
                        let i = (y * b.width + j) * 4
                        let a = Float(px[i + 3]) / 255 * w
                        acc.0 += Float(px[i]) * a
                        acc.1 += Float(px[i + 1]) * a
                        acc.2 += Float(px[i + 2]) * a
                        acc.3 += a
                    }
                    let o = (y * width + x) * 4
                    rows[o] = acc.0; rows[o + 1] = acc.1; rows[o + 2] = acc.2; rows[o + 3] = acc.3
                }
            }
        }
        var out = [RGB](repeating: background, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var acc: (Float, Float, Float, Float) = (0, 0, 0, 0)
                for (j, w) in yw[y] {
                    let i = (j * width + x) * 4
                    acc.0 += rows[i] * w
                    acc.1 += rows[i + 1] * w
                    acc.2 += rows[i + 2] * w
                    acc.3 += rows[i + 3] * w
                }
                let rest = max(0, 1 - acc.3)
                out[y * width + x] = RGB(channel(acc.0 + Float(background.r) * rest),
                                         channel(acc.1 + Float(background.g) * rest),
                                         channel(acc.2 + Float(background.b) * rest))
            }
        }
        return out
    }

    /// For each target index, the source indexes and weights (summing to 1).
    static func weights(source: Int, target: Int) -> [[(Int, Float)]] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { i -> [(Int, Float)] in
            if scale >= 1 {
                // Area average: every source pixel the target pixel covers, by how much.
                let start = Double(i) * scale, end = Double(i + 1) * scale
                var list: [(Int, Float)] = []
                var j = Int(start)
                while Double(j) < end && j < source {
                    let cover = min(end, Double(j + 1)) - max(start, Double(j))
                    if cover > 0 { list.append((j, Float(cover / scale))) }
                    j += 1
                }
                return list
            }
            // Bilinear: the two nearest source pixels by distance to the centre.
            let centre = (Double(i) + 0.5) * scale - 0.5
            let j0 = Int(centre.rounded(.down))
            let t = Float(centre - Double(j0))
            let a = min(max(j0, 0), source - 1), b = min(max(j0 + 1, 0), source - 1)
            return a == b ? [(a, Float(1))] : [(a, 1 - t), (b, t)]
        }
    }

    private static func channel(_ v: Float) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
