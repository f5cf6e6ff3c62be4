import Foundation

/// Reads kitty graphics commands back out of what a program wrote to its
/// terminal (tests only): unwraps tmux passthrough, reassembles chunked uploads,
/// and lists deletions, so a test can check the bytes a kitty terminal would get.
public struct KittyStreamReader {
    /// One whole upload: the first chunk's keys and the joined, decoded payload.
    public struct Upload: Equatable {
        public var keys: [String: String]
        public var payload: [UInt8]
        public var chunks: Int
        /// Every chunk's base64 length, for the 4096 limit.
        public var chunkSizes: [Int]
        public var id: Int? { keys["i"].flatMap { Int($0) } }
    }

    public private(set) var uploads: [Upload] = []
    public private(set) var deletions: [[String: String]] = []
    public private(set) var queries: [[String: String]] = []
    /// Passthrough sequences seen (`ESC P tmux;`).
    public private(set) var passthroughs = 0

    public init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var commands: [String] = []
        // tmux passthrough first: ESC P tmux; <ESC doubled> ESC \ .
        var plain = ""
        var rest = Substring(text)
        while let start = rest.range(of: "\u{1B}Ptmux;") {
            plain += rest[..<start.lowerBound]
            var inner = ""
            var i = start.upperBound
            while i < rest.endIndex {
                let c = rest[i]
                let next = rest.index(after: i)
                if c == "\u{1B}", next < rest.endIndex, rest[next] == "\u{1B}" { inner.append("\u{1B}"); i = rest.index(after: next); continue }
                if c == "\u{1B}", next < rest.endIndex, rest[next] == "\\" { i = rest.index(after: next); break }
                inner.append(c)
                i = next
            }
            passthroughs += 1
            plain += inner
            rest = rest[i...]
        }
        plain += rest
        // APC G commands: ESC _ G keys ; payload ESC \ .
        var s = Substring(plain)
        while let start = s.range(of: "\u{1B}_G") {
            guard let end = s[start.upperBound...].range(of: "\u{1B}\\") else { break }
            commands.append(String(s[start.upperBound..<end.lowerBound]))
            s = s[end.upperBound...]
        }
        var current: Upload?
        var base64 = ""
        for c in commands {
            let parts = c.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            var keys: [String: String] = [:]
            for kv in parts[0].split(separator: ",") {
                let p = kv.split(separator: "=", maxSplits: 1)
                if p.count == 2 { keys[String(p[0])] = String(p[1]) }
            }
            let data = parts.count > 1 ? String(parts[1]) : ""
            if current != nil {
                current!.chunks += 1
                current!.chunkSizes.append(data.count)
                base64 += data
                if keys["m"] != "1" {
                    current!.payload = [UInt8](Data(base64Encoded: base64) ?? Data())
                    uploads.append(current!)
                    current = nil
                }
                continue
            }
            switch keys["a"] {
            case "T", "t":
                base64 = data
                current = Upload(keys: keys, payload: [], chunks: 1, chunkSizes: [data.count])
                if keys["m"] != "1" {
                    current!.payload = [UInt8](Data(base64Encoded: base64) ?? Data())
                    uploads.append(current!)
                    current = nil
                }
            case "d": deletions.append(keys)
            case "q": queries.append(keys)
            default: break
            }
        }
    }

    /// Placeholder cells written (U+10EEEE and the diacritics after it), in order.
    public static func placeholderCells(_ bytes: [UInt8]) -> [[Unicode.Scalar]] {
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var cells: [[Unicode.Scalar]] = []
        var i = 0
        while i < scalars.count {
            if scalars[i].value == 0x10EEEE {
                var cell = [scalars[i]]
                var j = i + 1
                while j < scalars.count, scalars[j].properties.generalCategory == .nonspacingMark { cell.append(scalars[j]); j += 1 }
                cells.append(cell)
                i = j
            } else {
                i += 1
            }
        }
        return cells
    }
}
