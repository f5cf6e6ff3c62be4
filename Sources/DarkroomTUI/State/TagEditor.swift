import DarkroomCore

/// `T`: one line holding a task's tags, separated by commas ("night, film").
/// Tab completes the tag being typed from the tags in the history; Enter saves
/// the whole set (a tag left out is removed); a tag that is not one word is
/// refused with the reason, and the line stays open to fix it.
public struct TagEditor: Equatable, Sendable {
    public var localID: Int64
    public var editor: PromptEditor
    /// After a Tab with several tags matching: them, shown beside the line.
    public var candidates: [String] = []
    /// Why Enter refused the line, shown under it until the next edit.
    public var problem: String?

    /// The line for a task's tags, the cursor after a comma to type one more.
    public init(localID: Int64, tags: [TaskTag]) {
        self.localID = localID
        editor = PromptEditor(tags.map(\.name).joined(separator: ", ") + (tags.isEmpty ? "" : ", "))
    }

    /// The tags on the line (duplicates once, in the order typed), or why one is not a tag.
    public static func parse(_ text: String) -> Result<[TaskTag], TagError> {
        var tags: [TaskTag] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = part.trimmingCharacters(in: .whitespaces)
            if word.isEmpty { continue }
            switch TaskTag.parse(word) {
            case .success(let t): if !tags.contains(t) { tags.append(t) }
            case .failure(let e): return .failure(e)
            }
        }
        return .success(tags)
    }

    /// The tag being typed: the text after the last comma before the cursor.
    var typed: (start: Int, word: String) {
        let before = editor.chars.prefix(editor.cursor)
        let start = (before.lastIndex(of: ",").map { $0 + 1 }) ?? 0
        let raw = String(before[start...])
        let lead = raw.prefix(while: { $0 == " " }).count
        return (start + lead, String(raw.dropFirst(lead)).lowercased())
    }

    /// Tab: completes the tag being typed from `known` (most used first). One
    /// match: the tag and ", " after it; several: as far as they agree, the rest
    /// listed in `candidates`. Returns a message when nothing matches.
    mutating func complete(known: [String]) -> String? {
        let (start, word) = typed
        let others = Set((try? Self.parse(editor.text).get())?.map(\.name) ?? [])
        let matches = known.filter { $0.hasPrefix(word) && ($0 == word || !others.contains($0)) }
        guard !matches.isEmpty else {
            return known.isEmpty ? "No tags in the history yet: type one" : "No tag starts with “\(word)”"
        }
        var common = matches[0]
        for m in matches.dropFirst() { common = String(zip(common, m).prefix { $0 == $1 }.map(\.0)) }
        let replacement = matches.count == 1 ? matches[0] + ", " : common
        for _ in start..<editor.cursor { editor.backspace() }
        editor.insert(replacement)
        candidates = matches.count == 1 ? [] : matches
        return nil
    }
}
