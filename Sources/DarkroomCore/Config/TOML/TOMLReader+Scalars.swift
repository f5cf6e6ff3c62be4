/// `TOMLReader`'s scalars: every string form with its escapes, integers in
/// four radixes, floats, and the four date-time forms, as `tomllib` reads them.
extension TOMLReader {
    mutating func literalString() throws(TOMLParser.ParseError) -> String {
        pos += 1
        let start = pos
        let end = try skipUntil("'", illegal: { $0 != "\t" && Self.isControl($0) }, errorOnEOF: true)
        pos = end + 1
        return String(String.UnicodeScalarView(src[start..<end]))
    }

    mutating func multilineString(literal: Bool) throws(TOMLParser.ParseError) -> String {
        pos += 3
        if current == "\n" { pos += 1 }
        let delim: Unicode.Scalar = literal ? "'" : "\""
        var result: String
        if literal {
            let start = pos
            let end = try skipUntil("'''", illegal: { $0 != "\t" && $0 != "\n" && Self.isControl($0) }, errorOnEOF: true)
            result = String(String.UnicodeScalarView(src[start..<end]))
            pos = end + 3
        } else {
            result = try basicString(multiline: true)
        }
        // Up to two more quotes just before the closing three belong to the string.
        for _ in 0..<2 where current == delim {
            result.unicodeScalars.append(delim)
            pos += 1
        }
        return result
    }

    mutating func basicString(multiline: Bool) throws(TOMLParser.ParseError) -> String {
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw error("Unterminated string") }
            if c == "\"" {
                if !multiline { pos += 1; return String(out) }
                if startsWith("\"\"\"", pos) { pos += 3; return String(out) }
                out.append(c)
                pos += 1
                continue
            }
            if c == "\\" {
                try escape(into: &out, multiline: multiline)
                continue
            }
            if c != "\t" && !(multiline && c == "\n") && Self.isControl(c) {
                throw error("Illegal character U+\(String(c.value, radix: 16, uppercase: true))")
            }
            out.append(c)
            pos += 1
        }
    }

    mutating func escape(into out: inout String.UnicodeScalarView, multiline: Bool) throws(TOMLParser.ParseError) {
        let id = at(pos + 1)
        pos += 2
        if multiline, id == " " || id == "\t" || id == "\n" {
            // A line-ending backslash: skip whitespace and newlines to the next text.
            if id != "\n" {
                skipWS()
                guard let c = current else { return }
                guard c == "\n" else { throw error("Unescaped '\\' in a string") }
                pos += 1
            }
            skipWSAndNewlines()
            return
        }
        switch id {
        case "u": out.append(try hexChar(4))
        case "U": out.append(try hexChar(8))
        case "b": out.append("\u{08}")
        case "t": out.append("\t")
        case "n": out.append("\n")
        case "f": out.append("\u{0C}")
        case "r": out.append("\r")
        case "\"": out.append("\"")
        case "\\": out.append("\\")
        default: throw error("Unescaped '\\' in a string")
        }
    }

    mutating func hexChar(_ n: Int) throws(TOMLParser.ParseError) -> Unicode.Scalar {
        guard pos + n <= src.count else { throw error("Invalid hex value") }
        let digits = String(String.UnicodeScalarView(src[pos..<(pos + n)]))
        guard digits.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }), let v = UInt32(digits, radix: 16) else {
            throw error("Invalid hex value")
        }
        pos += n
        guard let s = Unicode.Scalar(v) else { throw error("Escaped character is not a Unicode scalar value") }
        return s
    }

    // MARK: Numbers, dates, times

    func digits(_ from: Int, _ count: Int) -> Int? {
        guard from + count <= src.count else { return nil }
        var v = 0
        for i in from..<(from + count) {
            guard let d = src[i].properties.numericType != nil && src[i].isASCII ? Int(String(src[i])) : nil else { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// `HH:MM:SS[.fraction]` at `i` with tomllib's ranges; returns the fields and where it ends.
    func time(at i: Int) -> (h: Int, m: Int, s: Int, fraction: String?, end: Int)? {
        guard let h = digits(i, 2), at(i + 2) == ":", let m = digits(i + 3, 2), at(i + 5) == ":", let s = digits(i + 6, 2),
              h <= 23, m <= 59, s <= 59 else { return nil }
        var end = i + 8
        var fraction: String?
        if at(end) == ".", let first = at(end + 1), ("0"..."9").contains(first) {
            var f = ""
            end += 1
            while let c = at(end), ("0"..."9").contains(c) {
                f.unicodeScalars.append(c)
                end += 1
            }
            fraction = String(f.prefix(6))
        }
        return (h, m, s, fraction, end)
    }

    mutating func dateTime() throws(TOMLParser.ParseError) -> TOMLDateTime? {
        guard let y = digits(pos, 4), at(pos + 4) == "-", let mo = digits(pos + 5, 2), at(pos + 7) == "-", let d = digits(pos + 8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var dt = TOMLDateTime(year: y, month: mo, day: d)
        var end = pos + 10
        if let sep = at(end), sep == "T" || sep == "t" || sep == " ", let t = time(at: end + 1) {
            dt.hour = t.h; dt.minute = t.m; dt.second = t.s; dt.fraction = t.fraction
            end = t.end
            if at(end) == "Z" || at(end) == "z" {
                dt.offsetMinutes = 0
                end += 1
            } else if let sign = at(end), sign == "+" || sign == "-", let oh = digits(end + 1, 2), at(end + 3) == ":",
                      let om = digits(end + 4, 2), oh <= 23, om <= 59 {
                dt.offsetMinutes = (sign == "-" ? -1 : 1) * (oh * 60 + om)
                end += 6
            }
        }
        let monthDays = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[mo - 1], y >= 1 else { throw error("Invalid date or datetime") }
        pos = end
        return dt
    }

    mutating func localTime() -> TOMLDateTime? {
        guard let t = time(at: pos) else { return nil }
        pos = t.end
        return TOMLDateTime(hour: t.h, minute: t.m, second: t.s, fraction: t.fraction)
    }

    /// `tomllib`'s `RE_NUMBER`, then `int(text, 0)` or `float(text)`.
    mutating func number() throws(TOMLParser.ParseError) -> TOMLValue? {
        let start = pos
        func isDigit(_ c: Unicode.Scalar?, _ radix: Int) -> Bool {
            guard let c, c.isASCII else { return false }
            switch radix {
            case 2: return c == "0" || c == "1"
            case 8: return ("0"..."7").contains(c)
            case 16: return c.properties.isASCIIHexDigit
            default: return ("0"..."9").contains(c)
            }
        }
        /// `d(_?d)*` from i; returns the end, or nil when no digit starts it.
        func run(_ i: Int, _ radix: Int) -> Int? {
            guard isDigit(at(i), radix) else { return nil }
            var j = i + 1
            while true {
                if isDigit(at(j), radix) { j += 1; continue }
                if at(j) == "_", isDigit(at(j + 1), radix) { j += 2; continue }
                return j
            }
        }
        if at(start) == "0", let p = at(start + 1), p == "x" || p == "b" || p == "o" {
            let radix = p == "x" ? 16 : p == "b" ? 2 : 8
            if let end = run(start + 2, radix) {
                let text = String(String.UnicodeScalarView(src[(start + 2)..<end])).replacingOccurrences(of: "_", with: "")
                guard let v = Int64(text, radix: radix) else { throw error("Integer out of 64-bit range") }
                pos = end
                return .integer(v)
            }
        }
        var i = start
        if at(i) == "+" || at(i) == "-" { i += 1 }
        var intEnd: Int
        if at(i) == "0" {
            intEnd = i + 1
        } else if let c = at(i), ("1"..."9").contains(c), let e = run(i, 10) {
            intEnd = e
        } else {
            return nil
        }
        var end = intEnd
        var isFloat = false
        if at(end) == ".", let e = run(end + 1, 10) { end = e; isFloat = true }
        if at(end) == "e" || at(end) == "E" {
            var k = end + 1
            if at(k) == "+" || at(k) == "-" { k += 1 }
            if let e = run(k, 10) { end = e; isFloat = true }
        }
        let text = String(String.UnicodeScalarView(src[start..<end])).replacingOccurrences(of: "_", with: "")
        pos = end
        if isFloat {
            guard let d = Double(text) else { throw error("Invalid float") }
            return .float(d)
        }
        guard let v = Int64(text) else { throw error("Integer out of 64-bit range") }
        return .integer(v)
    }
}
