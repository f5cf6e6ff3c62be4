import Foundation

/// The kitty graphics protocol, as bytes: uploads of a PNG as a virtual
/// placement, their deletion, the Unicode placeholder cells that show them, and
/// the tmux passthrough wrapping. Pure: nothing here writes to a terminal.
///
/// Spec: https://sw.kovidgoyal.net/kitty/graphics-protocol/ ("Unicode placeholders").
public enum KittyGraphics {
    /// The placeholder character; glibc gives it width 1.
    public static let placeholder: Unicode.Scalar = "\u{10EEEE}"

    /// Image ids darkroom uses: 16...255, so the id is one 256-colour palette
    /// entry that every terminal sends as `38;5;N` (0...15 may go out as `3N`/`9N`).
    public static let imageIDs: ClosedRange<Int> = 16...255

    /// Bytes of base64 per chunk of an upload (the protocol's limit is 4096).
    public static let chunkSize = 4096

    /// Uploads `png` as image `id` and makes a virtual placement of `columns` x
    /// `rows` cells (`U=1`), quietly (`q=2`: the terminal answers nothing).
    /// Each chunk is one APC sequence; inside tmux each is wrapped for passthrough.
    public static func upload(png: [UInt8], id: Int, columns: Int, rows: Int, tmux: Bool) -> String {
        let payload = Data(png).base64EncodedString()
        var out = ""
        var start = payload.startIndex
        var first = true
        repeat {
            let end = payload.index(start, offsetBy: chunkSize, limitedBy: payload.endIndex) ?? payload.endIndex
            let more = end < payload.endIndex ? 1 : 0
            let keys = first ? "a=T,f=100,t=d,i=\(id),U=1,c=\(columns),r=\(rows),q=2,m=\(more)" : "m=\(more)"
            out += wrap("\u{1B}_G\(keys);\(payload[start..<end])\u{1B}\\", tmux: tmux)
            start = end
            first = false
        } while start < payload.endIndex
        return out
    }

    /// Deletes image `id` and its placements, freeing the terminal's memory.
    public static func delete(id: Int, tmux: Bool) -> String {
        wrap("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\", tmux: tmux)
    }

    /// The query that asks whether the terminal speaks the protocol: a 1x1 RGB
    /// image sent with `a=q` is checked but never stored; kitty answers
    /// `ESC _ G i=31;OK ESC \`.
    public static let queryID = 31
    public static func query(tmux: Bool) -> String {
        wrap("\u{1B}_Gi=\(queryID),s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\", tmux: tmux)
    }

    /// tmux's passthrough: `ESC P tmux; <sequence with every ESC doubled> ESC \`.
    /// Needs `set -g allow-passthrough on` (tmux 3.3 and later).
    public static func wrap(_ sequence: String, tmux: Bool) -> String {
        guard tmux else { return sequence }
        return "\u{1B}Ptmux;" + sequence.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
    }

    /// The text of the placeholder cell at (`column`, `row`) of a placement:
    /// the placeholder, the row's diacritic, the column's diacritic. Nil past
    /// the table (297 rows or columns).
    public static func cell(row: Int, column: Int) -> String? {
        guard row >= 0, column >= 0, row < diacritics.count, column < diacritics.count else { return nil }
        var s = String.UnicodeScalarView()
        s.append(placeholder)
        s.append(Unicode.Scalar(diacritics[row])!)
        s.append(Unicode.Scalar(diacritics[column])!)
        return String(s)
    }

    /// The number a row/column diacritic stands for, or nil.
    public static func value(ofDiacritic scalar: Unicode.Scalar) -> Int? {
        diacriticIndex[scalar.value]
    }

    private static let diacriticIndex: [UInt32: Int] = Dictionary(uniqueKeysWithValues: diacritics.enumerated().map { ($1, $0) })

    /// kitty's `rowcolumn-diacritics.txt`: the combining marks of class 230
    /// without decomposition in Unicode 6.0, in code point order; the n-th
    /// stands for row or column n.
    public static let diacritics: [UInt32] = [
        0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F, 0x0346, 0x034A, 0x034B, 0x034C,
        0x0350, 0x0351, 0x0352, 0x0357, 0x035B, 0x0363, 0x0364, 0x0365, 0x0366, 0x0367, 0x0368, 0x0369,
        0x036A, 0x036B, 0x036C, 0x036D, 0x036E, 0x036F, 0x0483, 0x0484, 0x0485, 0x0486, 0x0487, 0x0592,
        0x0593, 0x0594, 0x0595, 0x0597, 0x0598, 0x0599, 0x059C, 0x059D, 0x059E, 0x059F, 0x05A0, 0x05A1,
        0x05A8, 0x05A9, 0x05AB, 0x05AC, 0x05AF, 0x05C4, 0x0610, 0x0611, 0x0612, 0x0613, 0x0614, 0x0615,
        0x0616, 0x0617, 0x0657, 0x0658, 0x0659, 0x065A, 0x065B, 0x065D, 0x065E, 0x06D6, 0x06D7, 0x06D8,
        0x06D9, 0x06DA, 0x06DB, 0x06DC, 0x06DF, 0x06E0, 0x06E1, 0x06E2, 0x06E4, 0x06E7, 0x06E8, 0x06EB,
        0x06EC, 0x0730, 0x0732, 0x0733, 0x0735, 0x0736, 0x073A, 0x073D, 0x073F, 0x0740, 0x0741, 0x0743,
        0x0745, 0x0747, 0x0749, 0x074A, 0x07EB, 0x07EC, 0x07ED, 0x07EE, 0x07EF, 0x07F0, 0x07F1, 0x07F3,
        0x0816, 0x0817, 0x0818, 0x0819, 0x081B, 0x081C, 0x081D, 0x081E, 0x081F, 0x0820, 0x0821, 0x0822,
        0x0823, 0x0825, 0x0826, 0x0827, 0x0829, 0x082A, 0x082B, 0x082C, 0x082D, 0x0951, 0x0953, 0x0954,
        0x0F82, 0x0F83, 0x0F86, 0x0F87, 0x135D, 0x135E, 0x135F, 0x17DD, 0x193A, 0x1A17, 0x1A75, 0x1A76,
        0x1A77, 0x1A78, 0x1A79, 0x1A7A, 0x1A7B, 0x1A7C, 0x1B6B, 0x1B6D, 0x1B6E, 0x1B6F, 0x1B70, 0x1B71,
        0x1B72, 0x1B73, 0x1CD0, 0x1CD1, 0x1CD2, 0x1CDA, 0x1CDB, 0x1CE0, 0x1DC0, 0x1DC1, 0x1DC3, 0x1DC4,
        0x1DC5, 0x1DC6, 0x1DC7, 0x1DC8, 0x1DC9, 0x1DCB, 0x1DCC, 0x1DD1, 0x1DD2, 0x1DD3, 0x1DD4, 0x1DD5,
        0x1DD6, 0x1DD7, 0x1DD8, 0x1DD9, 0x1DDA, 0x1DDB, 0x1DDC, 0x1DDD, 0x1DDE, 0x1DDF, 0x1DE0, 0x1DE1,
        0x1DE2, 0x1DE3, 0x1DE4, 0x1DE5, 0x1DE6, 0x1DFE, 0x20D0, 0x20D1, 0x20D4, 0x20D5, 0x20D6, 0x20D7,
        0x20DB, 0x20DC, 0x20E1, 0x20E7, 0x20E9, 0x20F0, 0x2CEF, 0x2CF0, 0x2CF1, 0x2DE0, 0x2DE1, 0x2DE2,
        0x2DE3, 0x2DE4, 0x2DE5, 0x2DE6, 0x2DE7, 0x2DE8, 0x2DE9, 0x2DEA, 0x2DEB, 0x2DEC, 0x2DED, 0x2DEE,
        0x2DEF, 0x2DF0, 0x2DF1, 0x2DF2, 0x2DF3, 0x2DF4, 0x2DF5, 0x2DF6, 0x2DF7, 0x2DF8, 0x2DF9, 0x2DFA,
        0x2DFB, 0x2DFC, 0x2DFD, 0x2DFE, 0x2DFF, 0xA66F, 0xA67C, 0xA67D, 0xA6F0, 0xA6F1, 0xA8E0, 0xA8E1,
        0xA8E2, 0xA8E3, 0xA8E4, 0xA8E5, 0xA8E6, 0xA8E7, 0xA8E8, 0xA8E9, 0xA8EA, 0xA8EB, 0xA8EC, 0xA8ED,
        0xA8EE, 0xA8EF, 0xA8F0, 0xA8F1, 0xAAB0, 0xAAB2, 0xAAB3, 0xAAB7, 0xAAB8, 0xAABE, 0xAABF, 0xAAC1,
        0xFE20, 0xFE21, 0xFE22, 0xFE23, 0xFE24, 0xFE25, 0xFE26, 0x10A0F, 0x10A38, 0x1D185, 0x1D186,
        0x1D187, 0x1D188, 0x1D189, 0x1D1AA, 0x1D1AB, 0x1D1AC, 0x1D1AD, 0x1D242, 0x1D243, 0x1D244,
    ]
}

/// Pictures drawn over the cells where they show (iTerm2 inline images,
/// sixel), as bytes. The caller puts the cursor at the box's top-left corner
/// and saves and restores it around them.
public enum InlinePictures {
    /// iTerm2's OSC 1337 inline image, stretched over `columns` x `rows` cells
    /// (its aspect ratio kept: the box was fitted to it).
    public static func iterm2(png: [UInt8], columns: Int, rows: Int) -> String {
        "\u{1B}]1337;File=inline=1;size=\(png.count);width=\(columns);height=\(rows);preserveAspectRatio=1:"
            + Data(png).base64EncodedString() + "\u{07}"
    }

    /// What a picture sends where it shows: iTerm2's sequence, or the sixel sequence as made.
    public static func bytes(_ p: TerminalPicture, columns: Int, rows: Int) -> String {
        switch p.format {
        case .iterm2: iterm2(png: p.payload, columns: columns, rows: rows)
        case .sixel, .kitty: String(decoding: p.payload, as: UTF8.self)
        }
    }
}
