import DarkroomCore
import DarkroomPreview
import Foundation

/// Paints the simulator's result pictures: a landscape at dusk (sky gradient, a
/// sun, layered hills with haze, stars) whose palette and shapes come from the
/// prompt, so the same prompt always gives the same picture and different
/// prompts look different.
public enum ScenePainter {
    /// The pixel size of a result for a target aspect ratio (width / height),
    /// scaled down so the longer side is `longSide` (default 384).
    public static func pixelSize(aspect: Double, longSide: Int = 384) -> (width: Int, height: Int) {
        let a = aspect.isFinite && aspect > 0 ? min(max(aspect, 0.2), 5) : 1
        if a >= 1 { return (longSide, max(1, Int((Double(longSide) / a).rounded()))) }
        return (max(1, Int((Double(longSide) * a).rounded())), longSide)
    }

    /// RGB pixels, `width * height * 3` bytes.
    public static func paint(prompt: String, variant: Int, width: Int, height: Int) -> [UInt8] {
        var rng = SeededRandom(seed: SeededRandom.hash(prompt) &+ UInt64(variant) &* 0x9E37_79B9)
        let hue = rng.unit()
        let skyTop = hsv(hue, 0.55, 0.35)
        let skyBottom = hsv(fmod(hue + 0.08 + 0.1 * rng.unit(), 1), 0.5, 0.98)
        let sunColor = hsv(fmod(hue + 0.12, 1), 0.35, 1.0)
        let sunX = 0.2 + 0.6 * rng.unit(), sunY = 0.25 + 0.3 * rng.unit(), sunR = 0.06 + 0.07 * rng.unit()
        let layers = 4
        var ridges: [(base: Double, amps: [Double], freqs: [Double], phases: [Double], color: (Double, Double, Double))] = []
        for l in 0..<layers {
            let depth = Double(l) / Double(layers - 1)
            let base = 0.5 + 0.13 * Double(l) + 0.05 * rng.unit()
            let amps = (0..<3).map { i in (0.09 - 0.015 * Double(i)) * (1.2 - 0.5 * depth) * (0.6 + 0.8 * rng.unit()) }
            let freqs = (0..<3).map { i in (1.5 + 2.5 * Double(i)) * (0.7 + 0.6 * rng.unit()) }
            let phases = (0..<3).map { _ in rng.unit() * 2 * .pi }
            let far = mix(skyBottom, hsv(fmod(hue + 0.55, 1), 0.45, 0.45), 0.55)
            let near = hsv(fmod(hue + 0.6, 1), 0.5, 0.12)
            ridges.append((base, amps, freqs, phases, mix(far, near, depth)))
        }
        let starSeed = rng.next()
        var px = [UInt8](repeating: 0, count: width * height * 3)
        let aspect = Double(width) / Double(height)
        // A ridge's height depends on the column only: work it out once per column.
        var heights = [Double](repeating: 0, count: layers * width)
        for x in 0..<width {
            let u = (Double(x) + 0.5) / Double(width)
            for (l, r) in ridges.enumerated() {
                var h = r.base
                for i in 0..<3 { h -= r.amps[i] * sin(u * r.freqs[i] * 2 * .pi + r.phases[i]) }
                heights[l * width + x] = h
            }
        }
        for y in 0..<height {
            let v = (Double(y) + 0.5) / Double(height)
            let sky = mix(skyTop, skyBottom, pow(v, 1.4))
            for x in 0..<width {
                let u = (Double(x) + 0.5) / Double(width)
                var c = sky
                // Stars in the upper sky.
                var sr = SeededRandom(seed: starSeed ^ UInt64(y &* 7919 &+ x))
                if v < 0.45, sr.unit() < 0.0025 { c = mix(c, (1, 1, 1), 0.8 * (1 - v / 0.45)) }
                // Sun with a soft glow.
                let dx = (u - sunX) * aspect, dy = v - sunY
                let d = sqrt(dx * dx + dy * dy)
                if d < sunR { c = sunColor } else { c = mix(c, sunColor, max(0, 0.45 * (1 - (d - sunR) / (sunR * 3)))) }
                // Hills, far to near; each near layer covers the ones behind.
                for (l, r) in ridges.enumerated() {
                    let h = heights[l * width + x]
                    if v > h {
                        let shade = min(1, (v - h) * 2.5)
                        c = mix(r.color, (r.color.0 * 0.7, r.color.1 * 0.7, r.color.2 * 0.7), shade)
                    }
                }
                let i = (y * width + x) * 3
                px[i] = UInt8(clamping: Int(c.0 * 255))
                px[i + 1] = UInt8(clamping: Int(c.1 * 255))
                px[i + 2] = UInt8(clamping: Int(c.2 * 255))
            }
        }
        return px
    }

    /// A PNG of the scene for `aspect`.
    public static func png(prompt: String, variant: Int, aspect: Double, longSide: Int = 384) -> [UInt8] {
        let (w, h) = pixelSize(aspect: aspect, longSide: longSide)
        return ImageEncoder.png(width: w, height: h, rgb: paint(prompt: prompt, variant: variant, width: w, height: h)) ?? []
    }

    /// The scene in `format`: PNG by libpng, JPEG and WebP by libjpeg-turbo and libwebp.
    public static func encoded(prompt: String, variant: Int, aspect: Double, longSide: Int = 384, format: OutputFormat) -> [UInt8] {
        guard format != .png else { return png(prompt: prompt, variant: variant, aspect: aspect, longSide: longSide) }
        let (w, h) = pixelSize(aspect: aspect, longSide: longSide)
        let rgb = paint(prompt: prompt, variant: variant, width: w, height: h)
        var rgba = [UInt8](repeating: 255, count: w * h * 4)
        for i in 0..<(w * h) {
            rgba[i * 4] = rgb[i * 3]
            rgba[i * 4 + 1] = rgb[i * 3 + 1]
            rgba[i * 4 + 2] = rgb[i * 3 + 2]
        }
        let bitmap = Bitmap(width: w, height: h, rgba: rgba)
        let data = format == .jpeg ? ImageEncoder.jpeg(bitmap, quality: 88) : ImageEncoder.webp(bitmap, quality: 85)
        return data.map { Array($0) } ?? png(prompt: prompt, variant: variant, aspect: aspect, longSide: longSide)
    }

    private static func mix(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ t: Double) -> (Double, Double, Double) {
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }

    private static func hsv(_ h: Double, _ s: Double, _ v: Double) -> (Double, Double, Double) {
        let i = Int(h * 6) % 6
        let f = h * 6 - floor(h * 6)
        let p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s)
        switch i {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}

extension ScenePainter {
    /// An image2image result that visibly comes from its reference: the uploaded
    /// picture fitted to the result's size, tinted with the prompt's colour and
    /// framed in it (so a chain of remixes shows in the demo). Nil when the
    /// reference cannot be decoded (the task then paints a scene of its own).
    public static func remix(reference: [UInt8], prompt: String, variant: Int, aspect: Double, longSide: Int = 384,
                             format: OutputFormat) -> [UInt8]? {
        guard let source = try? ImageDecoder.decode(Data(reference)) else { return nil }
        let (w, h) = pixelSize(aspect: aspect, longSide: longSide)
        let fitted = BitmapScaler.resize(source, width: w, height: h)
        var rng = SeededRandom(seed: SeededRandom.hash(prompt) &+ UInt64(variant) &* 0x9E37_79B9)
        let tint = hsv(rng.unit(), 0.7, 0.95)
        let frame = max(2, min(w, h) / 24)
        var rgba = [UInt8](repeating: 255, count: w * h * 4)
        for y in 0..<h {
            for x in 0..<w {
                let p = fitted[y * w + x]
                let edge = x < frame || y < frame || x >= w - frame || y >= h - frame
                let t = edge ? 1.0 : 0.3
                let i = (y * w + x) * 4
                rgba[i] = UInt8(max(0, min(255, Double(p.r) * (1 - t) + tint.0 * 255 * t)))
                rgba[i + 1] = UInt8(max(0, min(255, Double(p.g) * (1 - t) + tint.1 * 255 * t)))
                rgba[i + 2] = UInt8(max(0, min(255, Double(p.b) * (1 - t) + tint.2 * 255 * t)))
            }
        }
        let bitmap = Bitmap(width: w, height: h, rgba: rgba)
        switch format {
        case .png: return ImageEncoder.png(bitmap).map { Array($0) }
        case .jpeg: return ImageEncoder.jpeg(bitmap, quality: 88).map { Array($0) }
        case .webp: return ImageEncoder.webp(bitmap, quality: 85).map { Array($0) }
        }
    }
}
