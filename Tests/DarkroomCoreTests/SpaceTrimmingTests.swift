import Foundation
import Testing
@testable import DarkroomCore

@Suite("Trimming spaces without Foundation")
struct SpaceTrimmingTests {
    @Test("trims tabs and Unicode spaces at both ends, keeps newlines and inner spaces", arguments: [
        ("  queued ", "queued"), ("\tdone\t", "done"), ("\u{3000}完成\u{00A0}", "完成"), ("a b", "a b"),
        ("\n50\n", "\n50\n"), ("   ", ""), ("", ""), ("\u{2009}50 %\u{202F}", "50 %"),
    ])
    func cases(raw: String, expected: String) {
        #expect(raw.trimmingSpaces == expected)
        #expect(raw.trimmingSpaces == raw.trimmingCharacters(in: .whitespaces))
    }

    @Test("agrees with Foundation's trimmingCharacters(in: .whitespaces) on 5,000 random strings")
    func agreesWithFoundation() {
        let alphabet: [Unicode.Scalar] = [" ", "\t", "\n", "\r", "a", "5", "%", "é", "\u{00A0}", "\u{1680}", "\u{2000}", "\u{200A}",
                                          "\u{200B}", "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "\u{0301}", "😀"]
        var random = SeededRandom(seed: 9)
        for _ in 0..<5_000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...8, using: &random) { s.append(alphabet.randomElement(using: &random)!) }
            let text = String(s)
            #expect(text.trimmingSpaces == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
        }
    }
}
