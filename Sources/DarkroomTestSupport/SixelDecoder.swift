/// Reads sixel sequences back to pixels (tests only): DCS `q`, raster
/// attributes, colour registers (RGB in percent, or HLS), repeats, carriage
/// returns and new bands. Pixels never painted stay transparent.
public struct SixelPicture: Equatable {
    public let width: Int
    public let height: Int
    /// RGBA, rows top to bottom.
    public let rgba: [UInt8]

    /// Every sixel sequence (`ESC P … q … ESC \`) in `bytes`, decoded.
    public static func all(in bytes: [UInt8]) -> [SixelPicture] {
        var out: [SixelPicture] = []
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "P") {
                var j = i + 2
                while j < bytes.count, (0x30...0x3B).contains(bytes[j]) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "q") {
                    var end = j + 1
                    while end + 1 < bytes.count, !(bytes[end] == 0x1B && bytes[end + 1] == UInt8(ascii: "\\")) { end += 1 }
                    if end + 1 < bytes.count, let p = decode(Array(bytes[(j + 1)..<end])) { out.append(p) }
                    i = end
                    continue
                }
            }
            i += 1
        }
        return out
    }

    static func decode(_ b: [UInt8]) -> SixelPicture? {
        var palette = [Int: (UInt8, UInt8, UInt8)]()
        var pixels: [Int: (UInt8, UInt8, UInt8)] = [:]
        var declared: (Int, Int)?
        var x = 0, band = 0, colour = 0, maxX = 0, maxY = 0
        var i = 0
        func number() -> Int? {
            var n: Int?
            while i < b.count, (0x30...0x39).contains(b[i]) { n = (n ?? 0) * 10 + Int(b[i] - 0x30); i += 1 }
            return n
        }
        func numbers() -> [Int] {
            var list = [number() ?? 0]
            while i < b.count, b[i] == UInt8(ascii: ";") { i += 1; list.append(number() ?? 0) }
            return list
        }
        func paint(_ c: UInt8, times: Int) {
            let bits = Int(c) - 0x3F
            for _ in 0..<times {
                for k in 0..<6 where bits & (1 << k) != 0 {
                    let y = band * 6 + k
                    pixels[y << 16 | x] = palette[colour] ?? (0, 0, 0)
                    maxY = max(maxY, y + 1)
                }
                x += 1
                maxX = max(maxX, x)
            }
        }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                let n = numbers()
                if n.count >= 4 { declared = (n[2], n[3]) }
            case UInt8(ascii: "#"):
                i += 1
                let n = numbers()
                colour = n[0]
                if n.count >= 5 {
                    if n[1] == 2 {
                        palette[colour] = (UInt8(min(255, (n[2] * 255 + 50) / 100)), UInt8(min(255, (n[3] * 255 + 50) / 100)),
                                           UInt8(min(255, (n[4] * 255 + 50) / 100)))
                    } else {
                        palette[colour] = hls(n[2], n[3], n[4])
                    }
                }
            case UInt8(ascii: "!"):
                i += 1
                let count = number() ?? 1
                if i < b.count, (0x3F...0x7E).contains(b[i]) { paint(b[i], times: count); i += 1 }
            case UInt8(ascii: "$"):
                x = 0
                i += 1
            case UInt8(ascii: "-"):
                x = 0
                band += 1
                i += 1
            case 0x3F...0x7E:
                paint(c, times: 1)
                i += 1
            default:
                i += 1
            }
        }
        let w = declared?.0 ?? maxX, h = declared?.1 ?? maxY
        guard w > 0, h > 0 else { return nil }
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        for (key, p) in pixels {
            let y = key >> 16, px = key & 0xFFFF
            guard px < w, y < h else { continue }
            let o = (y * w + px) * 4
            rgba[o] = p.0; rgba[o + 1] = p.1; rgba[o + 2] = p.2; rgba[o + 3] = 255
        }
        return SixelPicture(width: w, height: h, rgba: rgba)
    }

    /// Sixel's HLS (hue 0 = blue, in degrees; lightness and saturation in percent).
    static func hls(_ h: Int, _ l: Int, _ s: Int) -> (UInt8, UInt8, UInt8) {
        let hue = Double((h + 240) % 360) / 360, light = Double(l) / 100, sat = Double(s) / 100
        func channel(_ t0: Double) -> UInt8 {
            let q = light < 0.5 ? light * (1 + sat) : light + sat - light * sat, p = 2 * light - q
            var t = t0
            if t < 0 { t += 1 }
            if t > 1 { t -= 1 }
            let v = t < 1.0 / 6 ? p + (q - p) * 6 * t : t < 0.5 ? q : t < 2.0 / 3 ? p + (q - p) * (2.0 / 3 - t) * 6 : p
            return UInt8(max(0, min(255, (v * 255).rounded())))
        }
        return (channel(hue + 1.0 / 3), channel(hue), channel(hue - 1.0 / 3))
    }
}
