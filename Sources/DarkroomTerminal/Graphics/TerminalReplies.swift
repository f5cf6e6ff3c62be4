import DarkroomPreview

/// What a terminal answered to darkroom's start-up questions, read out of the
/// bytes that came back. Keys the user typed meanwhile are kept in `remainder`,
/// in order, for the key decoder.
public struct TerminalAnswers: Equatable, Sendable {
    /// The kitty graphics query: true for `OK`, false for an error answer, nil for none.
    public var kitty: Bool?
    /// Primary device attributes (`CSI ? 62 ; 4 ; 22 c`: 4 means sixel), nil when unanswered.
    public var deviceAttributes: [Int]?
    /// The cell size from `CSI 6 ; height ; width t`.
    public var cellPixels: CellPixels?
    public var remainder: [UInt8] = []

    public init(kitty: Bool? = nil, deviceAttributes: [Int]? = nil, cellPixels: CellPixels? = nil, remainder: [UInt8] = []) {
        self.kitty = kitty
        self.deviceAttributes = deviceAttributes
        self.cellPixels = cellPixels
        self.remainder = remainder
    }

    /// Device attributes end the wait: terminals answer in order, and every
    /// terminal answers them.
    public var isComplete: Bool { deviceAttributes != nil }
}

/// Reads answers out of a byte stream (pure).
public enum TerminalReplies {
    /// The questions, in the order they are sent: the kitty query (through
    /// tmux's passthrough inside tmux), the cell size, the device attributes last.
    public static func questions(tmux: Bool) -> String {
        KittyGraphics.query(tmux: tmux) + "\u{1B}[16t" + "\u{1B}[c"
    }

    public static func parse(_ bytes: [UInt8]) -> TerminalAnswers {
        var a = TerminalAnswers()
        var i = 0
        let esc: UInt8 = 0x1B
        while i < bytes.count {
            guard bytes[i] == esc, i + 1 < bytes.count else {
                a.remainder.append(bytes[i])
                i += 1
                continue
            }
            if bytes[i + 1] == UInt8(ascii: "_"), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "G"),
               let end = find(stringTerminatorIn: bytes, from: i + 3) {
                let body = String(decoding: bytes[(i + 3)..<end.start], as: UTF8.self)
                if body.hasPrefix("i=\(KittyGraphics.queryID)") || body.contains("i=\(KittyGraphics.queryID);") {
                    a.kitty = body.hasSuffix(";OK")
                }
                i = end.after
                continue
            }
            if bytes[i + 1] == UInt8(ascii: "["), let (params, final, after) = csi(bytes, from: i + 2) {
                if final == UInt8(ascii: "c"), params.first == UInt8(ascii: "?") {
                    a.deviceAttributes = numbers(params.dropFirst())
                    i = after
                    continue
                }
                if final == UInt8(ascii: "t") {
                    let n = numbers(params[...])
                    if n.count == 3, n[0] == 6, n[1] > 0, n[2] > 0 {
                        a.cellPixels = CellPixels(width: n[2], height: n[1])
                        i = after
                        continue
                    }
                }
            }
            a.remainder.append(bytes[i])
            i += 1
        }
        return a
    }

    /// `ESC \` or BEL after `from`.
    private static func find(stringTerminatorIn b: [UInt8], from: Int) -> (start: Int, after: Int)? {
        var j = from
        while j < b.count {
            if b[j] == 0x07 { return (j, j + 1) }
            if b[j] == 0x1B, j + 1 < b.count, b[j + 1] == UInt8(ascii: "\\") { return (j, j + 2) }
            j += 1
        }
        return nil
    }

    /// A CSI's parameter bytes and final byte, from just after `ESC [`.
    private static func csi(_ b: [UInt8], from: Int) -> ([UInt8], UInt8, Int)? {
        var j = from
        while j < b.count, (0x20...0x3F).contains(b[j]) { j += 1 }
        guard j < b.count, (0x40...0x7E).contains(b[j]) else { return nil }
        return (Array(b[from..<j]), b[j], j + 1)
    }

    private static func numbers(_ p: ArraySlice<UInt8>) -> [Int] {
        String(decoding: p, as: UTF8.self).split(separator: ";").compactMap { Int($0) }
    }
}
