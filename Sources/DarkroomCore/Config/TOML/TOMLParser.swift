/// A TOML 1.0 reader for darkroom's config file: the whole language (tables,
/// arrays of tables, dotted keys, inline tables, every string, integer, float
/// and date-time form, CRLF line ends), and the same verdict on every document
/// as Python's `tomllib`, whose algorithm it follows step by step (a
/// differential test feeds both the same documents).
///
/// Limits: integers must fit in 64 bits (`tomllib` accepts any size);
/// fractional seconds are kept to microseconds.
public enum TOMLParser {
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(ParseError) -> TOMLValue {
        var p = Parser(text)
        return try p.document()
    }
}

// MARK: - The document tree while it is built

/// A table that later statements may still add to.
private final class Nest {
    var keys: [String] = []
    var items: [String: Item] = [:]

    subscript(key: String) -> Item? {
        get { items[key] }
        set {
            if items[key] == nil { keys.append(key) }
            items[key] = newValue
        }
    }

    func frozen() -> TOMLValue {
        .table(keys.map { k in
            switch items[k]! {
            case let .value(v): return (k, v)
            case let .nest(n): return (k, n.frozen())
            case let .nests(list): return (k, .array(list.map { $0.frozen() }))
            }
        })
    }
}

private enum Item {
    case value(TOMLValue)
    case nest(Nest)
    case nests([Nest])
}

private struct NotANest: Error {}

/// `tomllib`'s `NestedDict.get_or_create_nest`.
private func nest(_ root: Nest, _ key: [String], accessLists: Bool = true) throws(NotANest) -> Nest {
    var cont = root
    for k in key {
        switch cont[k] {
        case nil:
            let n = Nest()
            cont[k] = .nest(n)
            cont = n
        case let .nest(n)?: cont = n
        case let .nests(list)?:
            guard accessLists, let last = list.last else { throw NotANest() }
            cont = last
        case .value?: throw NotANest()
        }
    }
    return cont
}

/// `tomllib`'s `Flags`: which namespaces are frozen (inline tables and arrays)
/// and which were created explicitly (and so cannot be opened again).
private final class Flags {
    static let frozen = 0
    static let explicitNest = 1

    final class Node {
        var flags: Set<Int> = []
        var recursive: Set<Int> = []
        var nested: [String: Node] = [:]
    }

    /// The document root: it has no flags of its own.
    private let root = Node()
    private var pending: [([String], Int)] = []

    func addPending(_ key: [String], _ flag: Int) { pending.append((key, flag)) }

    func finalizePending() {
        for (k, f) in pending { set(k, f, recursive: false) }
        pending.removeAll()
    }

    func unsetAll(_ key: [String]) {
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return }
            cont = n
        }
        if let stem = key.last { cont.nested.removeValue(forKey: stem) }
    }

    func set(_ key: [String], _ flag: Int, recursive: Bool) {
        var node = root
        for k in key {
            if node.nested[k] == nil { node.nested[k] = Node() }
            node = node.nested[k]!
        }
        if recursive { node.recursive.insert(flag) } else { node.flags.insert(flag) }
    }

    func isSet(_ key: [String], _ flag: Int) -> Bool {
        guard let stem = key.last else { return false }
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return false }
            if n.recursive.contains(flag) { return true }
            cont = n
        }
        guard let n = cont.nested[stem] else { return false }
        return n.flags.contains(flag) || n.recursive.contains(flag)
    }
}

// MARK: - The parser

private struct Parser {
    let src: [Unicode.Scalar]
    var pos = 0

    init(_ text: String) {
        // The spec allows reading "\r\n" as "\n", in strings too (tomllib does so first).
        src = Array(text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars)
    }

    var current: Unicode.Scalar? { pos < src.count ? src[pos] : nil }
    func at(_ i: Int) -> Unicode.Scalar? { i < src.count ? src[i] : nil }
    func startsWith(_ s: String, _ at: Int) -> Bool {
        var i = at
        for c in s.unicodeScalars {
            guard i < src.count, src[i] == c else { return false }
            i += 1
        }
        return true
    }

    func error(_ message: String, _ at: Int? = nil) -> TOMLParser.ParseError {
        let p = min(at ?? pos, src.count)
        var line = 1, column = 1
        for i in 0..<p {
            if src[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return TOMLParser.ParseError(line: line, column: column, message: message)
    }

    static func isWS(_ c: Unicode.Scalar?) -> Bool { c == " " || c == "\t" }
    static func isBareKey(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_"
    }
    static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

    mutating func skipWS() { while Self.isWS(current) { pos += 1 } }
    mutating func skipWSAndNewlines() { while Self.isWS(current) || current == "\n" { pos += 1 } }

    /// Skips to `expect` (not past it); an illegal character before it is an error.
    mutating func skipUntil(_ expect: String, illegal: (Unicode.Scalar) -> Bool, errorOnEOF: Bool) throws(TOMLParser.ParseError) -> Int {
        var i = pos
        while i < src.count, !startsWith(expect, i) {
            if illegal(src[i]) { throw error("Found invalid character U+\(String(src[i].value, radix: 16, uppercase: true))", i) }
            i += 1
        }
        if i >= src.count, errorOnEOF { throw error("Expected \(expect)", i) }
        return i
    }

    mutating func skipComment() throws(TOMLParser.ParseError) {
        guard current == "#" else { return }
        pos += 1
        pos = try skipUntil("\n", illegal: { $0 != "\t" && Self.isControl($0) }, errorOnEOF: false)
    }

    mutating func skipCommentsAndArrayWS() throws(TOMLParser.ParseError) {
        while true {
            let before = pos
            skipWSAndNewlines()
            try skipComment()
            if pos == before { return }
        }
    }

    mutating func document() throws(TOMLParser.ParseError) -> TOMLValue {
        let root = Nest()
        let flags = Flags()
        var header: [String] = []
        while true {
            skipWS()
            guard let c = current else { break }
            if c == "\n" { pos += 1; continue }
            if Self.isBareKey(c) || c == "\"" || c == "'" {
                try keyValueRule(root, flags, header)
                skipWS()
            } else if c == "[" {
                flags.finalizePending()
                header = at(pos + 1) == "[" ? try listRule(root, flags) : try tableRule(root, flags)
                skipWS()
            } else if c != "#" {
                throw error("Invalid statement")
            }
            try skipComment()
            guard let end = current else { break }
            guard end == "\n" else { throw error("Expected newline or end of document after a statement") }
            pos += 1
        }
        return root.frozen()
    }

    mutating func tableRule(_ root: Nest, _ flags: Flags) throws(TOMLParser.ParseError) -> [String] {
        pos += 1
        skipWS()
        let key = try parseKey()
        if flags.isSet(key, Flags.explicitNest) || flags.isSet(key, Flags.frozen) {
            throw error("Cannot declare [\(key.joined(separator: "."))] twice")
        }
        flags.set(key, Flags.explicitNest, recursive: false)
        do { _ = try nest(root, key) } catch { throw self.error("Cannot overwrite a value") }
        guard current == "]" else { throw error("Expected ']' at the end of a table declaration") }
        pos += 1
        return key
    }

    mutating func listRule(_ root: Nest, _ flags: Flags) throws(TOMLParser.ParseError) -> [String] {
        pos += 2
        skipWS()
        let key = try parseKey()
        if flags.isSet(key, Flags.frozen) { throw error("Cannot mutate immutable namespace \(key.joined(separator: "."))") }
        flags.unsetAll(key)
        flags.set(key, Flags.explicitNest, recursive: false)
        do {
            let parent = try nest(root, Array(key.dropLast()))
            let last = key[key.count - 1]
            switch parent[last] {
            case nil: parent[last] = .nests([Nest()])
            case let .nests(list)?: parent[last] = .nests(list + [Nest()])
            default: throw NotANest()
            }
        } catch {
            throw self.error("Cannot overwrite a value")
        }
        guard startsWith("]]", pos) else { throw error("Expected ']]' at the end of an array declaration") }
        pos += 2
        return key
    }

    mutating func keyValueRule(_ root: Nest, _ flags: Flags, _ header: [String]) throws(TOMLParser.ParseError) {
        let (key, value) = try keyValuePair()
        let parent = Array(key.dropLast()), stem = key[key.count - 1]
        for i in 1..<max(1, key.count) {
            let contKey = header + key[..<i]
            if flags.isSet(contKey, Flags.explicitNest) { throw error("Cannot redefine namespace \(contKey.joined(separator: "."))") }
            flags.addPending(contKey, Flags.explicitNest)
        }
        if flags.isSet(header + parent, Flags.frozen) {
            throw error("Cannot mutate immutable namespace \((header + parent).joined(separator: "."))")
        }
        let target: Nest
        do { target = try nest(root, header + parent) } catch { throw self.error("Cannot overwrite a value") }
        if target[stem] != nil { throw error("Cannot overwrite a value") }
        if case .table = value { flags.set(header + key, Flags.frozen, recursive: true) }
        if case .array = value { flags.set(header + key, Flags.frozen, recursive: true) }
        target[stem] = .value(value)
    }

    mutating func keyValuePair() throws(TOMLParser.ParseError) -> ([String], TOMLValue) {
        let key = try parseKey()
        guard current == "=" else { throw error("Expected '=' after a key in a key/value pair") }
        pos += 1
        skipWS()
        return (key, try parseValue())
    }

    mutating func parseKey() throws(TOMLParser.ParseError) -> [String] {
        var key = [try parseKeyPart()]
        skipWS()
        while current == "." {
            pos += 1
            skipWS()
            key.append(try parseKeyPart())
            skipWS()
        }
        return key
    }

    mutating func parseKeyPart() throws(TOMLParser.ParseError) -> String {
        let c = current
        if Self.isBareKey(c) {
            let start = pos
            while Self.isBareKey(current) { pos += 1 }
            return String(String.UnicodeScalarView(src[start..<pos]))
        }
        if c == "'" { return try literalString() }
        if c == "\"" {
            pos += 1
            return try basicString(multiline: false)
        }
        throw error("Invalid initial character for a key part")
    }

    // MARK: Values

    mutating func parseValue() throws(TOMLParser.ParseError) -> TOMLValue {
        let c = current
        if c == "\"" {
            if startsWith("\"\"\"", pos) { return .string(try multilineString(literal: false)) }
            pos += 1
            return .string(try basicString(multiline: false))
        }
        if c == "'" {
            if startsWith("'''", pos) { return .string(try multilineString(literal: true)) }
            return .string(try literalString())
        }
        if c == "t", startsWith("true", pos) { pos += 4; return .bool(true) }
        if c == "f", startsWith("false", pos) { pos += 5; return .bool(false) }
        if c == "[" { return try array() }
        if c == "{" { return try inlineTable() }
        if let dt = try dateTime() { return .datetime(dt) }
        if let t = localTime() { return .datetime(t) }
        if let n = try number() { return n }
        for special in ["inf", "nan", "+inf", "-inf", "+nan", "-nan"] where startsWith(special, pos) {
            pos += special.unicodeScalars.count
            let negative = special.hasPrefix("-")
            return .float(special.hasSuffix("inf") ? (negative ? -.infinity : .infinity) : (negative ? -.nan : .nan))
        }
        // Say what was found, and what a value may be.
        var word = ""
        var i = pos
        while let s = at(i), s != "\n", s != "#", word.unicodeScalars.count < 40 { word.unicodeScalars.append(s); i += 1 }
        word = word.trimmingCharacters(in: .whitespaces)
        if let first = current, first.properties.isAlphabetic {
            throw error("cannot read the value \(word.debugDescription): strings need quotes, like \"\(word)\"")
        }
        throw error("cannot read the value \(word.debugDescription): a value is a string in quotes, a number, true or false, a date, [an array] or {a table}")
    }

    mutating func array() throws(TOMLParser.ParseError) -> TOMLValue {
        pos += 1
        var out: [TOMLValue] = []
        try skipCommentsAndArrayWS()
        if current == "]" { pos += 1; return .array(out) }
        while true {
            out.append(try parseValue())
            try skipCommentsAndArrayWS()
            if current == "]" { pos += 1; return .array(out) }
            guard current == "," else { throw error("Unclosed array") }
            pos += 1
            try skipCommentsAndArrayWS()
            if current == "]" { pos += 1; return .array(out) }
        }
    }

    mutating func inlineTable() throws(TOMLParser.ParseError) -> TOMLValue {
        pos += 1
        let table = Nest()
        let flags = Flags()
        skipWS()
        if current == "}" { pos += 1; return table.frozen() }
        while true {
            let (key, value) = try keyValuePair()
            let parent = Array(key.dropLast()), stem = key[key.count - 1]
            if flags.isSet(key, Flags.frozen) { throw error("Cannot mutate immutable namespace \(key.joined(separator: "."))") }
            let target: Nest
            do { target = try nest(table, parent, accessLists: false) } catch { throw self.error("Cannot overwrite a value") }
            if target[stem] != nil { throw error("Duplicate inline table key \(stem)") }
            target[stem] = .value(value)
            skipWS()
            if current == "}" { pos += 1; return table.frozen() }
            guard current == "," else { throw error("Unclosed inline table") }
            switch value {
            case .table, .array: flags.set(key, Flags.frozen, recursive: true)
            default: break
            }
            pos += 1
            skipWS()
        }
    }

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
