/// The Reference field read as a shell reads words: spaces separate them;
/// `'single'` quotes keep everything; `"double"` quotes keep everything but
/// `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps the next
/// character; `~` or `~/` at the start of an unquoted word is the home folder.
/// No variables, globs or command substitution: `$HOME` is four letters and a
/// dollar sign. Pure: the home folder is given.
public enum ReferenceText {
    /// An open quote at the end of the text.
    public enum Quote: Sendable, Equatable {
        case single, double
    }

    /// One word: its text as meant (quotes and escapes removed, `~` expanded) and
    /// where it stands in the field (character offsets, end exclusive).
    public struct Word: Sendable, Equatable {
        public var text: String
        public var start: Int
        public var end: Int
    }

    /// The words of the text, and the quote left open at its end (if any).
    public static func words(_ text: String, home: String) -> (words: [Word], openQuote: Quote?) {
        let chars = Array(text)
        var words: [Word] = []
        var current = ""
        var start: Int?
        var quote: Quote?
        var i = 0
        func finish(at end: Int) {
            if let s = start { words.append(Word(text: current, start: s, end: end)) }
            current = ""
            start = nil
        }
        while i < chars.count {
            let c = chars[i]
            switch quote {
            case .single:
                if c == "'" { quote = nil } else { current.append(c) }
            case .double:
                if c == "\"" {
                    quote = nil
                } else if c == "\\", i + 1 < chars.count, "\"\\$`".contains(chars[i + 1]) {
                    i += 1
                    current.append(chars[i])
                } else {
                    current.append(c)
                }
            case nil:
                if c == " " || c == "\t" || c == "\n" {
                    finish(at: i)
                } else {
                    if start == nil {
                        start = i
                        // `~` alone or `~/...` at the start of an unquoted word.
                        if c == "~", i + 1 == chars.count || chars[i + 1] == "/" || chars[i + 1] == " " {
                            current = home
                            i += 1
                            continue
                        }
                    }
                    switch c {
                    case "'": quote = .single
                    case "\"": quote = .double
                    case "\\":
                        if i + 1 < chars.count {
                            i += 1
                            current.append(chars[i])
                        }
                    default: current.append(c)
                    }
                }
            }
            i += 1
        }
        finish(at: chars.count)
        return (words, quote)
    }

    /// The references as the request takes them, or why the text cannot be read.
    public static func references(_ text: String, home: String) -> Result<[String], ValidationProblem> {
        let (words, open) = words(text, home: home)
        if let open {
            let q = open == .single ? "'" : "\""
            return .failure(ValidationProblem(.references, "a \(q) quote is not closed; close it, or put a backslash before it to mean the character"))
        }
        return .success(words.map(\.text))
    }

    /// A name as typed in the field: inside an open quote, or with backslashes
    /// before what the shell would read otherwise.
    public static func escape(_ name: String, in quote: Quote?) -> String {
        switch quote {
        case .single:
            // A ' cannot be written inside single quotes: close, escape it, reopen.
            return name.replacingOccurrences(of: "'", with: "'\\''")
        case .double:
            var out = ""
            for c in name {
                if "\"\\$`".contains(c) { out.append("\\") }
                out.append(c)
            }
            return out
        case nil:
            var out = ""
            for c in name {
                if " \t\n'\"\\$`!*?[]{}()<>|&;#~".contains(c) { out.append("\\") }
                out.append(c)
            }
            return out
        }
    }

    /// One reference written back for the field (quoted only when it must be).
    public static func quote(_ reference: String) -> String {
        escape(reference, in: nil)
    }
}
