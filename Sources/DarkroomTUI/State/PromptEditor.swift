import DarkroomCore

/// A multi-line text editor as a value: the text as grapheme clusters and a
/// cursor between them. Every edit is a pure mutation; `layout(width:)` soft-
/// wraps by display width, so CJK, accents and emoji move and wrap correctly.
public struct PromptEditor: Equatable, Sendable {
    public private(set) var chars: [Character]
    /// The cursor, 0...chars.count (before the character at that index).
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        chars = Array(text)
        cursor = chars.count
    }

    public var text: String { String(chars) }

    public mutating func insert(_ s: String) {
        // Pasted text keeps its newlines and tabs; other control characters are dropped.
        let clean = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let new = Array(clean).filter { $0 == "\n" || $0 == "\t" || !($0.unicodeScalars.first.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ?? true) }
        var added = new[...]
        // A character that joins the one before the cursor into one grapheme (a ZWJ
        // sequence or a combining mark typed or read in pieces) becomes part of it.
        while cursor > 0, let first = added.first, chars[cursor - 1] != "\n" {
            let joined = String(chars[cursor - 1]) + String(first)
            guard joined.count == 1, let c = joined.first else { break }
            chars[cursor - 1] = c
            added = added.dropFirst()
        }
        chars.insert(contentsOf: added, at: cursor)
        cursor += added.count
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        chars.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < chars.count else { return }
        chars.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(chars.count, cursor + 1) }

    private var lineStart: Int {
        var i = cursor
        while i > 0 && chars[i - 1] != "\n" { i -= 1 }
        return i
    }

    private var lineEnd: Int {
        var i = cursor
        while i < chars.count && chars[i] != "\n" { i += 1 }
        return i
    }

    public mutating func home() { cursor = lineStart }
    public mutating func end() { cursor = lineEnd }

    private static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    public mutating func wordLeft() {
        while cursor > 0 && !Self.isWordChar(chars[cursor - 1]) { cursor -= 1 }
        while cursor > 0 && Self.isWordChar(chars[cursor - 1]) { cursor -= 1 }
    }

    public mutating func wordRight() {
        while cursor < chars.count && !Self.isWordChar(chars[cursor]) { cursor += 1 }
        while cursor < chars.count && Self.isWordChar(chars[cursor]) { cursor += 1 }
    }

    /// Ctrl-U: delete from the start of the line to the cursor. Returns what went.
    @discardableResult
    public mutating func killToLineStart() -> String {
        let s = lineStart
        defer {
            chars.removeSubrange(s..<cursor)
            cursor = s
        }
        return String(chars[s..<cursor])
    }

    /// Ctrl-K: delete from the cursor to the end of the line (or the newline itself at its end).
    @discardableResult
    public mutating func killToLineEnd() -> String {
        let e = lineEnd
        let range = e == cursor && cursor < chars.count ? cursor..<(cursor + 1) : cursor..<e
        defer { chars.removeSubrange(range) }
        return String(chars[range])
    }

    /// Ctrl-W: delete the word before the cursor.
    @discardableResult
    public mutating func killWordBack() -> String {
        let end = cursor
        wordLeft()
        defer { chars.removeSubrange(cursor..<end) }
        return String(chars[cursor..<end])
    }

    /// Cells a character takes in the editor: a tab is one (drawn as a space; it is
    /// sent as a tab).
    public static func cells(_ c: Character) -> Int { c == "\t" ? 1 : DisplayWidth.of(c) }

    /// One visual line: characters `start..<end` of the text.
    public struct Line: Equatable, Sendable {
        public let start: Int
        public let end: Int
    }

    /// Soft-wrapped lines for a width in cells. Wraps at the last space that fits
    /// when there is one, else at the width; never splits a wide character.
    public func layout(width: Int) -> [Line] {
        let w = max(2, width)
        var lines: [Line] = []
        var start = 0
        var i = 0
        var used = 0
        var lastSpace: Int? = nil
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                lines.append(Line(start: start, end: i))
                i += 1
                start = i
                used = 0
                lastSpace = nil
                continue
            }
            let cw = Self.cells(c)
            if used + cw > w {
                if let sp = lastSpace, sp > start {
                    lines.append(Line(start: start, end: sp + 1))
                    start = sp + 1
                } else {
                    lines.append(Line(start: start, end: i))
                    start = i
                }
                used = chars[start..<i].reduce(0) { $0 + Self.cells($1) }
                lastSpace = nil
                continue
            }
            if c == " " { lastSpace = i }
            used += cw
            i += 1
        }
        lines.append(Line(start: start, end: chars.count))
        return lines
    }

    /// The cursor's row and column (in cells) in `layout(width:)`. At a soft
    /// wrap the cursor belongs to the start of the next line; before a newline,
    /// to the end of its own.
    public func cursorPosition(width: Int) -> (row: Int, column: Int) {
        let lines = layout(width: width)
        for (row, line) in lines.enumerated() where cursor >= line.start {
            let col = { chars[line.start..<cursor].reduce(0) { $0 + Self.cells($1) } }
            if cursor < line.end || row == lines.count - 1 { return (row, col()) }
            if cursor == line.end && lines[row + 1].start > line.end { return (row, col()) }
        }
        return (lines.count - 1, 0)
    }

    /// Moves the cursor one visual line up or down, keeping its column.
    public mutating func vertical(_ delta: Int, width: Int) -> Bool {
        let lines = layout(width: width)
        let (row, col) = cursorPosition(width: width)
        let target = row + delta
        guard target >= 0, target < lines.count else { return false }
        let line = lines[target]
        var i = line.start
        var used = 0
        while i < line.end, chars[i] != "\n" {
            let cw = Self.cells(chars[i])
            if used + cw > col { break }
            used += cw
            i += 1
        }
        cursor = i
        return true
    }

    public mutating func setText(_ s: String) {
        chars = Array(s)
        cursor = chars.count
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
