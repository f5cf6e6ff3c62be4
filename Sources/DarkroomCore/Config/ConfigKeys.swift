/// The keys the config file may hold, and the warnings for the others: a typo
/// (`bsae_url`, `max_concurent_submits`) is said with its file, line and the
/// nearest known key, instead of being silently ignored.
enum ConfigKeys {
    static let top = ["default_profile", "download_results", "max_concurrent_submits", "notifications", "preview", "profiles", "profile", "prices", "max_run_cost", "balance_warning", "styles"]
    static let profile = ["base_url", "api_key", "api_key_command", "default_model", "proxy"]
    static let sections: [String: [String]] = ["notifications": ["bell", "desktop"], "preview": ["graphics"]]

    /// One warning per unknown key (the `[prices]` table is checked by `PriceTable`;
    /// `[styles]` by `PromptStyle`, where an unknown key is an error).
    static func unknown(_ root: TOMLValue, text: String, path: String) -> [String] {
        var out: [String] = []
        for (key, value) in root.members ?? [] {
            guard top.contains(key) else {
                out.append(warning(key, in: nil, known: top, text: text, path: path))
                continue
            }
            if let known = sections[key] {
                for (k, _) in value.members ?? [] where !known.contains(k) { out.append(warning(k, in: key, known: known, text: text, path: path)) }
            }
            if key == "profiles" || key == "profile" {
                for (name, p) in value.members ?? [] {
                    for (k, _) in p.members ?? [] where !profile.contains(k) {
                        out.append(warning(k, in: "\(key).\(name)", known: profile, text: text, path: path))
                    }
                }
            }
        }
        return out
    }

    static func warning(_ key: String, in table: String?, known: [String], text: String, path: String) -> String {
        let shown = TerminalSanitizer.clean(key)
        let line = lineNumber(of: key, in: text).map { ":\($0)" } ?? ""
        let place = table.map { " in [\(TerminalSanitizer.clean($0))]" } ?? ""
        let near = nearest(key, in: known).map { "; did you mean \($0)?" } ?? ""
        return "\(path)\(line): unknown key \"\(shown)\"\(place), ignored\(near)"
    }

    /// The first line that sets `key` (`key =` at its start, bare or quoted).
    static func lineNumber(of key: String, in text: String) -> Int? {
        // By bytes: "\r\n" is one Character, so a CRLF file split on "\n" is one line.
        for (i, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: bytes, as: UTF8.self).drop { $0 == " " || $0 == "\t" }
            for form in [key, "\"\(key)\"", "'\(key)'"] where line.hasPrefix(form) {
                if line.dropFirst(form.count).drop(while: { $0 == " " || $0 == "\t" }).first == "=" { return i + 1 }
            }
        }
        return nil
    }

    /// The known key nearest `key` by edits (at most a third of its length, at least 2).
    static func nearest(_ key: String, in known: [String]) -> String? {
        let limit = max(2, key.count / 3)
        let scored = known.map { ($0, distance(Array(key.lowercased()), Array($0))) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
