import Foundation

/// Wildcard files: `{@colors}` in a prompt stands for every line of
/// `colors.txt` in the wildcards folder (`DarkroomPaths.wildcardsDirectory`),
/// as `{red|blue}` stands for each alternative.
///
/// A file is read as UTF-8 text (a byte-order mark is skipped), at most
/// `maxFileBytes`. Each line is trimmed of white space at its ends; blank lines
/// are skipped; lines are taken as written (`{`, `|` and `@` in them are not read
/// again). A line holding a control character (C0 but the line's own end, DEL,
/// C1; a tab inside a line too) is refused. `load` keeps each file's problem
/// instead of throwing: a file is an error only when a prompt uses it.
public struct WildcardSet: Equatable, Sendable {
    /// Where the files were read from (nil: no folder, as `WildcardSet()`), for messages.
    public var folder: URL?
    /// The choices of each file that could be read, by name (`colors` for `colors.txt`).
    public var lines: [String: [String]]
    /// What is wrong with each file that could not be used, by name.
    public var problems: [String: WildcardProblem]

    /// The most bytes a wildcard file may have (1 MiB).
    public static let maxFileBytes = 1 << 20

    public init(folder: URL? = nil, lines: [String: [String]] = [:], problems: [String: WildcardProblem] = [:]) {
        self.folder = folder
        self.lines = lines
        self.problems = problems
    }

    /// The names a prompt may use, sorted (files with problems included).
    public var names: [String] { Array(Set(lines.keys).union(problems.keys)).sorted() }

    /// Whether `name` may name a wildcard: one or more ASCII letters, digits, `_`
    /// or `-`, so `{@../x}` can never reach outside the folder.
    public static func isName(_ name: String) -> Bool { PromptStyle.isName(name) }

    /// Reads every `NAME.txt` of `folder` whose NAME is a wildcard name and that is
    /// a regular file (other files are left alone; none read outside the folder).
    /// A missing folder is an empty set. Never throws: what is wrong with a file
    /// is in `problems`. Reads the disk: call it off a UI thread.
    public static func load(folder: URL) -> WildcardSet {
        var set = WildcardSet(folder: folder)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return set }
        for entry in entries where entry.hasSuffix(".txt") {
            let name = String(entry.dropLast(4))
            guard isName(name) else { continue }
            let url = folder.appendingPathComponent(entry)
            // Regular files only (a link to one included): a folder is skipped, and a
            // pipe or device would block or never end.
            var st = stat()
            guard stat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            switch read(url, name: name) {
            case let .success(l): set.lines[name] = l
            case let .failure(p): set.problems[name] = p
            }
        }
        return set
    }

    /// The choices of `name`, or why there are none: a bad name, no such file,
    /// or the file's own problem. Each message names the file (and the line).
    public func choices(_ name: String) -> Result<[String], WildcardProblem> {
        guard Self.isName(name) else {
            return .failure(WildcardProblem(name: name, path: nil, line: nil,
                                            message: "{@\(TerminalSanitizer.clean(name))}: a wildcard's name is letters, digits, _ and - (the file wildcards/NAME.txt)"))
        }
        if let l = lines[name] { return .success(l) }
        if let p = problems[name] { return .failure(p) }
        let path = folder.map { TerminalSanitizer.clean($0.appendingPathComponent("\(name).txt").path) }
        return .failure(WildcardProblem(name: name, path: path, line: nil,
                                        message: "{@\(name)}: there is no file \(path ?? "wildcards/\(name).txt") (one choice per line)"))
    }

    /// Reads one file: its lines, or its problem.
    static func read(_ url: URL, name: String) -> Result<[String], WildcardProblem> {
        let path = TerminalSanitizer.clean(url.path)
        func problem(_ line: Int?, _ m: String) -> Result<[String], WildcardProblem> {
            .failure(WildcardProblem(name: name, path: path, line: line, message: "\(path)\(line.map { " line \($0)" } ?? ""): \(m)"))
        }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            return problem(nil, "cannot be read (\(FileErrorText.describe(error)))")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxFileBytes + 1) ?? Data() } catch {
            return problem(nil, "cannot be read (\(FileErrorText.describe(error)))")
        }
        if data.count > maxFileBytes { return problem(nil, "is over 1 MiB: not a list of choices") }
        switch parse(Array(data)) {
        case let .success(l): return .success(l)
        case let .failure(f): return problem(f.line, f.message)
        }
    }

    /// What is wrong with a file's text, and where.
    struct LineProblem: Error, Equatable {
        var line: Int?
        var message: String
    }

    /// The choices in a file's bytes: lines trimmed, blank ones skipped. Fails
    /// with the line (from 1) of the first byte that is not UTF-8 or the first
    /// control character, or with no line when nothing is left.
    static func parse(_ bytes: [UInt8]) -> Result<[String], LineProblem> {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var out: [String] = []
        for (i, raw) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard let line = String(validating: raw, as: UTF8.self) else {
                return .failure(LineProblem(line: i + 1, message: "is not UTF-8 text (save it as UTF-8)"))
            }
            // The line's end: "\r\n" files are read as "\n" ones.
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let bad = trimmed.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                let what = bad == "\t" ? "a tab" : bad == "\r" ? "a carriage return" : "a control character"
                return .failure(LineProblem(line: i + 1, message: "\(what) (U+\(String(format: "%04X", bad.value))) inside the line; write each choice as plain text on its own line"))
            }
            if !trimmed.isEmpty { out.append(trimmed) }
        }
        guard !out.isEmpty else { return .failure(LineProblem(line: nil, message: "holds no choice (blank lines are skipped): write one choice per line")) }
        return .success(out)
    }
}

/// Why a wildcard cannot be used, in words naming the file and the line.
public struct WildcardProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The wildcard's name as the prompt wrote it (`colors` for `{@colors}`).
    public let name: String
    /// The file's path (cleaned for a terminal); nil for a bad name.
    public let path: String?
    /// The line concerned, from 1; nil when it is the whole file.
    public let line: Int?
    /// The whole sentence: the file, the line, what is wrong.
    public let message: String

    public init(name: String, path: String?, line: Int?, message: String) {
        self.name = name
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { message }
}
