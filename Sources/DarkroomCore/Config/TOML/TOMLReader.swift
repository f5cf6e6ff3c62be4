

/// The reader behind `TOMLParser.parse`: one pass over the scalars of a
/// document, as `tomllib` reads it. Strings, numbers and dates are read in
/// `TOMLReader+Scalars.swift`.
struct TOMLReader {
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
        let root = TOMLNest()
        let flags = TOMLFlags()
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

    fileprivate mutating func tableRule(_ root: TOMLNest, _ flags: TOMLFlags) throws(TOMLParser.ParseError) -> [String] {
        pos += 1
        skipWS()
        let key = try parseKey()
        if flags.isSet(key, TOMLFlags.explicitNest) || flags.isSet(key, TOMLFlags.frozen) {
            throw error("Cannot declare [\(key.joined(separator: "."))] twice")
        }
        flags.set(key, TOMLFlags.explicitNest, recursive: false)
        do { _ = try nest(root, key) } catch { throw self.error("Cannot overwrite a value") }
        guard current == "]" else { throw error("Expected ']' at the end of a table declaration") }
        pos += 1
        return key
    }

    fileprivate mutating func listRule(_ root: TOMLNest, _ flags: TOMLFlags) throws(TOMLParser.ParseError) -> [String] {
        pos += 2
        skipWS()
        let key = try parseKey()
        if flags.isSet(key, TOMLFlags.frozen) { throw error("Cannot mutate immutable namespace \(key.joined(separator: "."))") }
        flags.unsetAll(key)
        flags.set(key, TOMLFlags.explicitNest, recursive: false)
        do {
            let parent = try nest(root, Array(key.dropLast()))
            let last = key[key.count - 1]
            switch parent[last] {
            case nil: parent[last] = .nests([TOMLNest()])
            case let .nests(list)?: parent[last] = .nests(list + [TOMLNest()])
            default: throw TOMLNotANest()
            }
        } catch {
            throw self.error("Cannot overwrite a value")
        }
        guard startsWith("]]", pos) else { throw error("Expected ']]' at the end of an array declaration") }
        pos += 2
        return key
    }

    fileprivate mutating func keyValueRule(_ root: TOMLNest, _ flags: TOMLFlags, _ header: [String]) throws(TOMLParser.ParseError) {
        let (key, value) = try keyValuePair()
        let parent = Array(key.dropLast()), stem = key[key.count - 1]
        for i in 1..<max(1, key.count) {
            let contKey = header + key[..<i]
            if flags.isSet(contKey, TOMLFlags.explicitNest) { throw error("Cannot redefine namespace \(contKey.joined(separator: "."))") }
            flags.addPending(contKey, TOMLFlags.explicitNest)
        }
        if flags.isSet(header + parent, TOMLFlags.frozen) {
            throw error("Cannot mutate immutable namespace \((header + parent).joined(separator: "."))")
        }
        let target: TOMLNest
        do { target = try nest(root, header + parent) } catch { throw self.error("Cannot overwrite a value") }
        if target[stem] != nil { throw error("Cannot overwrite a value") }
        if case .table = value { flags.set(header + key, TOMLFlags.frozen, recursive: true) }
        if case .array = value { flags.set(header + key, TOMLFlags.frozen, recursive: true) }
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
        let table = TOMLNest()
        let flags = TOMLFlags()
        skipWS()
        if current == "}" { pos += 1; return table.frozen() }
        while true {
            let (key, value) = try keyValuePair()
            let parent = Array(key.dropLast()), stem = key[key.count - 1]
            if flags.isSet(key, TOMLFlags.frozen) { throw error("Cannot mutate immutable namespace \(key.joined(separator: "."))") }
            let target: TOMLNest
            do { target = try nest(table, parent, accessLists: false) } catch { throw self.error("Cannot overwrite a value") }
            if target[stem] != nil { throw error("Duplicate inline table key \(stem)") }
            target[stem] = .value(value)
            skipWS()
            if current == "}" { pos += 1; return table.frozen() }
            guard current == "," else { throw error("Unclosed inline table") }
            switch value {
            case .table, .array: flags.set(key, TOMLFlags.frozen, recursive: true)
            default: break
            }
            pos += 1
            skipWS()
        }
    }
}
