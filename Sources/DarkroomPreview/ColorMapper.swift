/// What the terminal can show. Decided by the backend from terminfo and NO_COLOR.
public enum ColorDepth: String, Sendable, CaseIterable {
    /// 24-bit colour (terminfo `RGB`, e.g. TERM=xterm-direct).
    case direct
    case palette256
    case palette16
    case palette8
    /// NO_COLOR or a monochrome terminal: no preview.
    case none
}

/// Maps true colours to what a terminal has: the nearest of the xterm 256
/// colours, or a grey ramp of shade characters for 16 and 8 colours.
public enum ColorMapper {
    /// The six levels of the xterm colour cube (indexes 16...231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of xterm palette entry `index` (16...255 are standard;
    /// 0...15 use xterm's defaults).
    public static func rgb(ofPalette index: UInt8) -> RGB {
        let i = Int(index)
        if i < 16 {
            let basic: [RGB] = [RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
                                RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0), RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255)]
            return basic[i]
        }
        if i < 232 {
            let c = i - 16
            return RGB(UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
        }
        let g = UInt8(8 + (i - 232) * 10)
        return RGB(g, g, g)
    }

    /// The nearest entry of the 256-colour palette, among the colour cube and the
    /// grey ramp (16...255; the first 16 are themeable, so never used).
    public static func nearest256(_ c: RGB) -> UInt8 {
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for (i, l) in cubeLevels.enumerated() where abs(l - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = i }
            return best
        }
        let ri = nearestLevel(c.r), gi = nearestLevel(c.g), bi = nearestLevel(c.b)
        let cube = UInt8(16 + 36 * ri + 6 * gi + bi)
        let avg = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyIndex = UInt8(232 + min(23, max(0, (avg - 8 + 5) / 10)))
        return distance(c, rgb(ofPalette: greyIndex)) < distance(c, rgb(ofPalette: cube)) ? greyIndex : cube
    }

    /// Squared distance, weighted for how the eye sees (the "redmean" approximation).
    public static func distance(_ a: RGB, _ b: RGB) -> Int {
        let rm = (Int(a.r) + Int(b.r)) / 2
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        return ((512 + rm) * dr * dr >> 8) + 4 * dg * dg + ((767 - rm) * db * db >> 8)
    }

    /// Relative luminance, 0...255 (Rec. 709 weights).
    public static func luminance(_ c: RGB) -> Int {
        (2126 * Int(c.r) + 7152 * Int(c.g) + 722 * Int(c.b)) / 10000
    }

    /// One step of a grey ramp: a glyph drawn in palette colour `fg` on `bg`.
    public struct Shade: Equatable, Sendable {
        public let glyph: Character
        public let fg: UInt8
        public let bg: UInt8

        public init(glyph: Character, fg: UInt8, bg: UInt8) {
            self.glyph = glyph
            self.fg = fg
            self.bg = bg
        }
    }

    /// The grey ramp for 16 colours (black, dark grey, light grey, white; 13 steps)
    /// or 8 (black and light grey; 5 steps), darkest first.
    public static func ramp(for depth: ColorDepth) -> [Shade] {
        let greys: [UInt8] = depth == .palette8 ? [0, 7] : [0, 8, 7, 15]
        var steps = [Shade(glyph: " ", fg: greys[0], bg: greys[0])]
        for (lo, hi) in zip(greys, greys.dropFirst()) {
            for g in ["░", "▒", "▓"] as [Character] { steps.append(Shade(glyph: g, fg: hi, bg: lo)) }
            steps.append(Shade(glyph: " ", fg: hi, bg: hi))
        }
        return steps
    }

    /// Without colour (NO_COLOR, a monochrome terminal): the shade glyph alone, in
    /// the terminal's own colours, darkest first.
    public static let monochromeRamp: [Character] = [" ", "░", "▒", "▓", "█"]

    /// The glyph of `monochromeRamp` for a cell whose two pixels are `top` and `bottom`.
    public static func monochrome(top: RGB, bottom: RGB) -> Character {
        let l = (luminance(top) + luminance(bottom)) / 2
        return monochromeRamp[min(monochromeRamp.count - 1, (l * monochromeRamp.count) / 256)]
    }

    /// The ramp step for a cell whose two pixels are `top` and `bottom`.
    public static func shade(top: RGB, bottom: RGB, depth: ColorDepth) -> Shade {
        let steps = ramp(for: depth)
        let l = (luminance(top) + luminance(bottom)) / 2
        return steps[min(steps.count - 1, (l * steps.count) / 256)]
    }
}
