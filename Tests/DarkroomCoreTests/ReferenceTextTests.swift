import DarkroomCore
import DarkroomTestSupport
import Foundation
import Testing

@Suite("References read as a shell reads words")
struct ReferenceTextTests {
    func refs(_ s: String) -> [String] { ReferenceText.words(s, home: "/home/ana").words.map(\.text) }

    @Test("quotes, backslashes and ~ as a shell reads them",
          arguments: [
              ("~/pictures/with\\ space.png", ["/home/ana/pictures/with space.png"]),
              ("'~/pictures/with space.png'", ["~/pictures/with space.png"]),     // quoted: no ~
              ("~/'pictures/with space.png'", ["/home/ana/pictures/with space.png"]),
              ("\"a \\\"b\\\" c.png\" d.png", ["a \"b\" c.png", "d.png"]),
              ("'it'\\''s.png'", ["it's.png"]),
              ("a.png   b.png\n c.png", ["a.png", "b.png", "c.png"]),
              ("~", ["/home/ana"]), ("~ana/x.png", ["~ana/x.png"]), ("a~/b", ["a~/b"]),
              ("$HOME/x.png", ["$HOME/x.png"]), ("\"\"", [""]), ("", []),
              ("https://example.com/a%20b.png", ["https://example.com/a%20b.png"]),
          ])
    func words(text: String, expected: [String]) {
        #expect(refs(text) == expected)
    }

    @Test("an unclosed quote is a problem that says what to do")
    func unclosed() {
        guard case let .failure(p) = ReferenceText.references("'~/pictures/with space.png", home: "/h") else {
            Issue.record("an unclosed quote was taken")
            return
        }
        #expect(p.field == .references && p.message.contains("' quote is not closed"))
        #expect(ReferenceText.words("'a b", home: "/h").openQuote == .single)
    }

    @Test("any name escaped for the field reads back as itself, quoted or not")
    func escapeRoundTrip() {
        let names = ["with space.png", "it's.png", "a\"b\"c.png", "$HOME", "tab\there", "back\\slash", "~tilde", "*?[x]", "日本 語.png", "(1)&;|"]
        for n in names {
            #expect(refs(ReferenceText.escape(n, in: nil)) == [n], "\(n)")
            #expect(refs("'" + ReferenceText.escape(n, in: .single) + "'") == [n], "'\(n)'")
            #expect(refs("\"" + ReferenceText.escape(n, in: .double) + "\"") == [n], "\"\(n)\"")
        }
    }

    @Test("file:// links name local files; another host is refused")
    func fileURLs() throws {
        let dir = TempDir()
        let path = dir.file("with space.png", Fixtures.pngHeader)
        let url = URL(fileURLWithPath: path).absoluteString
        #expect(url.hasPrefix("file:///") && url.contains("%20"))
        var r = ImageRequest(model: "NanoBanana", prompt: "p", references: [url])
        let v = try RequestValidator.validate(r).get()
        guard case let .files(files) = v.references else { Issue.record("not a file"); return }
        #expect(files.map(\.path) == [path])
        r.references = ["file://localhost" + path]
        #expect((try? RequestValidator.validate(r).get()) != nil)
        r.references = ["file://server/share/a.png"]
        guard case let .failure(f) = RequestValidator.validate(r) else { Issue.record("another host was taken"); return }
        #expect(f.problems.map(\.message) == ["\"file://server/share/a.png\" is not a local file URL; write file:///path/to/image.png or just the path"])
    }
}
