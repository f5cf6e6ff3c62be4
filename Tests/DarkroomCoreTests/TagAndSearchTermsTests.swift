import DarkroomCore
import Testing

@Suite("Tags and search terms")
struct TagAndSearchTermsTests {
    @Test("a tag is one case-insensitive word; spaces, control characters and symbols are refused with a message naming the text")
    func tags() throws {
        #expect(try TaskTag.parse("Night").get().name == "night")
        #expect(try TaskTag.parse("#film-35mm").get().name == "film-35mm")
        #expect(try TaskTag.parse("猫").get().name == "猫")
        #expect(TaskTag.parse("night sky") == .failure(.hasSpace("night sky")))
        #expect(TagError.hasSpace("night sky").description.contains("write night-sky"))
        #expect(TaskTag.parse("") == .failure(.empty))
        #expect(TaskTag.parse("#") == .failure(.empty))
        guard case .failure(.badCharacter(_, let what)) = TaskTag.parse("a\u{7}b") else { Issue.record("control char accepted"); return }
        #expect(what == "a control character")
        guard case .failure(.badCharacter(_, let comma)) = TaskTag.parse("a,b") else { Issue.record("comma accepted"); return }
        #expect(comma == "“,”")
        #expect(TaskTag.parse(String(repeating: "a", count: 41)) == .failure(.tooLong(String(repeating: "a", count: 41))))
    }

    @Test("a search reads #tag, * and words")
    func terms() {
        let t = SearchTerms("* #Fox red  #fox # fog")
        #expect(t.starred)
        #expect(t.tags.map(\.name) == ["fox"])
        #expect(t.words == ["red", "#", "fog"])
        #expect(SearchTerms(nil) == SearchTerms(""))
    }
}
