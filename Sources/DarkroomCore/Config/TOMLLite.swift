import Foundation

/// A small TOML reader for darkroom's config file: tables (`[a.b]`, quoted
/// parts allowed), `key = value` with basic and literal strings, integers,
/// floats, booleans and arrays of those, and `#` comments. Multi-line strings,
/// inline tables and dates are not supported and are reported as errors with
/// their line number.
public enum TOMLLite {
    public indirect enum Value: Equatable, Sendable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case array([Value])

        public var string: String? { if case let .string(s) = self { return s }; return nil }
        public var double: Double? {
            switch self {
            case let .int(i): return Double(i)
            case let .double(d): return d
            default: return nil
            }
        }
    }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// A document: each table's full dotted name (`""` for the root) to its keys.
    public typealias Document = [String: [String: Value]]

    public static func parse(_ text: String) throws(ParseError) -> Document {
        var doc: Document = ["": [:]]
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            var line = Substring(stripComment(String(rawLine))).trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: lineNo, message: "a table header must look like [name] (arrays of tables are not supported)")
                }
                let inner = String(line.dropFirst().dropLast())
                table = try dottedKey(inner, line: lineNo).joined(separator: ".")
                if doc[table] == nil { doc[table] = [:] }
                continue
            }
            guard let eq = indexOfEquals(line) else {
                throw ParseError(line: lineNo, message: "expected key = value")
            }
            let keyParts = try dottedKey(String(line[..<eq]), line: lineNo)
            var valueText = Substring(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)[...]
            let value = try parseValue(&valueText, line: lineNo)
            guard valueText.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ParseError(line: lineNo, message: "unexpected text after the value")
            }
            let fullTable = ([table] + keyParts.dropLast()).filter { !$0.isEmpty }.joined(separator: ".")
            let key = keyParts.last ?? ""
            if doc[fullTable]?[key] != nil { throw ParseError(line: lineNo, message: "\(key) is set twice") }
            doc[fullTable, default: [:]][key] = value
        }
        return doc
    }

    private static func stripComment(_ line: String) -> String {
        var inBasic = false, inLiteral = false, escaped = false
        for (i, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && inBasic { escaped = true; continue }
            if c == "\"" && !inLiteral { inBasic.toggle() }
            if c == "'" && !inBasic { inLiteral.toggle() }
            if c == "#" && !inBasic && !inLiteral { return String(line.prefix(i)) }
        }
        return line
    }

    private static func indexOfEquals(_ line: String) -> String.Index? {
        var inQuote: Character? = nil
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if let q = inQuote { if c == q { inQuote = nil } } else if c == "\"" || c == "'" { inQuote = c } else if c == "=" { return i }
            i = line.index(after: i)
        }
        return nil
    }

    private static func dottedKey(_ text: String, line: Int) throws(ParseError) -> [String] {
        var parts: [String] = []
        var rest = text.trimmingCharacters(in: .whitespaces)[...]
        while !rest.isEmpty {
            if rest.first == "\"" || rest.first == "'" {
                guard case let .string(s) = try parseValue(&rest, line: line) else { break }
                parts.append(s)
            } else {
                let end = rest.firstIndex(of: ".") ?? rest.endIndex
                let bare = rest[..<end].trimmingCharacters(in: .whitespaces)
                guard !bare.isEmpty, bare.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                    throw ParseError(line: line, message: "invalid key \"\(text)\"")
                }
                parts.append(bare)
                rest = rest[end...]
            }
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })[...]
            if rest.first == "." { rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })[...] } else if !rest.isEmpty {
                throw ParseError(line: line, message: "invalid key \"\(text)\"")
            }
        }
        guard !parts.isEmpty else { throw ParseError(line: line, message: "missing key") }
        return parts
    }

    private static func parseValue(_ s: inout Substring, line: Int) throws(ParseError) -> Value {
        s = s.drop(while: { $0 == " " || $0 == "\t" })[...]
        guard let first = s.first else { throw ParseError(line: line, message: "missing value") }
        switch first {
        case "\"":
            if s.hasPrefix("\"\"\"") { throw ParseError(line: line, message: "multi-line strings are not supported") }
            s = s.dropFirst()
            var out = ""
            while let c = s.first {
                s = s.dropFirst()
                if c == "\"" { return .string(out) }
                if c == "\\" {
                    guard let e = s.first else { break }
                    s = s.dropFirst()
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "u", "U":
                        let len = e == "u" ? 4 : 8
                        let hex = String(s.prefix(len))
                        guard hex.count == len, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                            throw ParseError(line: line, message: "bad \\u escape")
                        }
                        out.unicodeScalars.append(u)
                        s = s.dropFirst(len)
                    default: throw ParseError(line: line, message: "unknown escape \\\(e)")
                    }
                } else { out.append(c) }
            }
            throw ParseError(line: line, message: "unterminated string")
        case "'":
            s = s.dropFirst()
            guard let end = s.firstIndex(of: "'") else { throw ParseError(line: line, message: "unterminated string") }
            let v = String(s[..<end])
            s = s[s.index(after: end)...]
            return .string(v)
        case "[":
            s = s.dropFirst()
            var items: [Value] = []
            while true {
                s = s.drop(while: { $0 == " " || $0 == "\t" })[...]
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                items.append(try parseValue(&s, line: line))
                s = s.drop(while: { $0 == " " || $0 == "\t" })[...]
                if s.first == "," { s = s.dropFirst(); continue }
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                throw ParseError(line: line, message: "expected , or ] in array (arrays must fit on one line)")
            }
        default:
            let end = s.firstIndex(where: { $0 == "," || $0 == "]" || $0 == " " || $0 == "\t" }) ?? s.endIndex
            let word = String(s[..<end]).replacingOccurrences(of: "_", with: "")
            s = s[end...]
            if word == "true" { return .bool(true) }
            if word == "false" { return .bool(false) }
            if let i = Int(word) { return .int(i) }
            if let d = Double(word) { return .double(d) }
            throw ParseError(line: line, message: "cannot read value \"\(word)\" (strings need quotes)")
        }
    }
}
