import DarkroomPreview
import DarkroomTUI

/// ncurses colour pairs, made on demand and reused. Previews need many (one per
/// pair of colours in the image), so when the terminal's pairs run out the least
/// recently used one is redefined; pairs used in the frame being drawn are never
/// taken. A redefinition changes cells already on screen, so it asks for a full
/// redraw (`evicted`). The theme's few pairs stay in use every frame.
struct ColorPairs {
    let depth: ColorDepth
    private let capacity: Int
    private var pairs: [Int64: (pair: Int32, used: Int)] = [:]
    private var free: Int32 = 1
    private var frame = 0
    /// Set when a pair was redefined; the backend clears it after a full redraw.
    var evicted = false
    /// Defines a pair in the terminal (the backend passes ncurses `init_extended_pair`; tests record it).
    private let define: (Int32, Int32, Int32) -> Void

    init(depth: ColorDepth, colorPairs: Int, define: @escaping (Int32, Int32, Int32) -> Void = { _, _, _ in }) {
        self.depth = depth
        capacity = max(0, colorPairs - 1)
        self.define = define
    }

    mutating func beginFrame() { frame += 1 }

    /// The pair for a foreground and background, or 0 (the terminal's default colours).
    mutating func pair(_ fg: DarkroomTUI.Color, _ bg: DarkroomTUI.Color) -> Int32 {
        guard depth != .none else { return 0 }
        let f = number(fg), b = number(bg)
        if f == -1 && b == -1 { return 0 }
        let key = (Int64(f) << 32) | Int64(UInt32(bitPattern: b))
        if let p = pairs[key] {
            pairs[key] = (p.pair, frame)
            return p.pair
        }
        var n: Int32
        if Int(free) <= capacity {
            n = free
            free += 1
        } else {
            guard let victim = pairs.min(by: { $0.value.used < $1.value.used }), victim.value.used < frame else { return 0 }
            pairs[victim.key] = nil
            n = victim.value.pair
            evicted = true
        }
        define(n, f, b)
        pairs[key] = (n, frame)
        return n
    }

    /// The terminal's number for a colour (-1: its default).
    func number(_ c: DarkroomTUI.Color) -> Int32 {
        switch (c, depth) {
        case (_, .none), (.default, _): return -1
        case let (.basic(n), _): return Int32(n)
        case let (.bright(n), .palette8): return Int32(n)
        case let (.bright(n), .direct): return packed(ColorMapper.rgb(ofPalette: n + 8))
        case let (.bright(n), _): return Int32(n) + 8
        case let (.palette(n), .direct): return packed(ColorMapper.rgb(ofPalette: n))
        case let (.palette(n), .palette256): return Int32(n)
        case (.palette, _): return -1
        case let (.rgb(r, g, b), .direct): return packed(RGB(r, g, b))
        case let (.rgb(r, g, b), .palette256): return Int32(ColorMapper.nearest256(RGB(r, g, b)))
        case let (.rgb(r, g, b), _):
            // Previews use shades here; anything else gets the nearest grey.
            let l = ColorMapper.luminance(RGB(r, g, b))
            return depth == .palette8 ? (l < 96 ? 0 : 7) : [0, 8, 7, 15][min(3, l / 64)]
        }
    }

    private func packed(_ c: RGB) -> Int32 { (Int32(c.r) << 16) | (Int32(c.g) << 8) | Int32(c.b) }
}
