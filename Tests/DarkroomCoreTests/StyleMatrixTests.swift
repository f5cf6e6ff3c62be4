import DarkroomTestSupport
import Foundation
import Testing
@testable import DarkroomCore

/// A run over styles and wildcards: each an axis, counted before anything is
/// made, under the same limit as every other run.
@Suite("Matrix with styles and wildcards")
struct StyleMatrixTests {
    let film = PromptStyle(name: "film", template: "{prompt}, 35mm film")
    let noir = PromptStyle(name: "noir", template: "noir: {prompt}")

    func wildcards(_ files: [String: String]) throws -> (TempDir, WildcardSet) {
        let dir = TempDir()
        for (name, text) in files { try Data(text.utf8).write(to: dir.url.appendingPathComponent(name + ".txt")) }
        return (dir, WildcardSet.load(folder: dir.url))
    }

    @Test("one style: each request styled, the prompt as typed kept; no style axis; existing callers unchanged")
    func oneStyle() throws {
        let e = try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "a {red|blue} fox"), styles: [film]).expand()
        #expect(e.requests.map(\.prompt) == ["a red fox, 35mm film", "a blue fox, 35mm film"])
        #expect(e.requests.map(\.style) == [StyleUse(name: "film", prompt: "a red fox"), StyleUse(name: "film", prompt: "a blue fox")])
        #expect(e.axes.map(\.name) == ["prompt"])
        #expect(e.axes[0].values == ["a red fox", "a blue fox"], "the prompt axis holds the prompts as typed")
        let plain = try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "a fox")).expand()
        #expect(plain.requests == [ImageRequest(model: "NanoBanana", prompt: "a fox")])
    }

    @Test("two styles × alternatives × a wildcard's lines × two models: every combination, each an axis, counted before")
    func axes() throws {
        let (_, set) = try wildcards(["colors": "red\nblue\ngreen\n"])
        let m = RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "a {small|big} {@colors} fox"),
                              models: ["NanoBanana", "NanoBanana2-1K"], styles: [film, noir], wildcards: set)
        #expect(m.count == 2 * 3 * 2 * 2)
        let e = try m.expand()
        #expect(e.requests.count == 24)
        #expect(e.axes.map(\.name) == ["prompt", "@colors", "style", "model"])
        #expect(e.axes[0].values == ["a small {@colors} fox", "a big {@colors} fox"])
        #expect(e.axes[1].values == ["red", "blue", "green"])
        #expect(e.axes[2].values == ["film", "noir"])
        #expect(RequestMatrix.describe(e.axes, requests: 24) == " (2 prompts × 3 @colors × 2 styles × 2 models)")
        // Reading order: prompt slowest, then style, then model; alternatives and lines first, then the style.
        #expect(e.requests.prefix(4).map(\.prompt) == ["a small red fox, 35mm film", "a small red fox, 35mm film", "noir: a small red fox", "noir: a small red fox"])
        #expect(e.requests.prefix(2).map(\.model) == ["NanoBanana", "NanoBanana2-1K"])
        for r in e.requests {
            let style = try #require(r.style)
            #expect(r.prompt == (style.name == "film" ? film : noir).apply(to: style.prompt))
        }
        #expect(Set(e.requests.compactMap(\.style?.prompt)).count == 6)
        // The same style twice is one style.
        #expect(try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "x"), styles: [film, film]).expand().requests.count == 1)
    }

    @Test("over 200 requests is refused before any is made, wildcards and styles counted; a huge product does not overflow")
    func limit() throws {
        let (_, set) = try wildcards(["many": (1...101).map { "line \($0)" }.joined(separator: "\n")])
        let over = RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "{@many}"), styles: [film, noir], wildcards: set)
        #expect(throws: RequestMatrix.Failure.tooMany(202)) { try over.expand() }
        let fits = RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "{@many}"), styles: [film], wildcards: set)
        #expect(try fits.expand().requests.count == 101)
        let (_, big) = try wildcards(["w": (1...1000).map(String.init).joined(separator: "\n")])
        let huge = RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: String(repeating: "{@w}", count: 8)), wildcards: big)
        #expect(huge.count == Int.max)
        #expect(throws: RequestMatrix.Failure.tooMany(Int.max)) { try huge.expand() }
    }

    @Test("a wildcard that cannot be used fails the whole matrix with the file's message; nothing is made")
    func failures() throws {
        let (dir, set) = try wildcards(["empty": "\n\n", "tabs": "a\tb\n"])
        #expect(throws: RequestMatrix.Failure.prompt("\(dir.url.path)/empty.txt: holds no choice (blank lines are skipped): write one choice per line")) {
            try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "{@empty}"), styles: [film], wildcards: set).expand()
        }
        #expect(throws: RequestMatrix.Failure.prompt("\(dir.url.path)/tabs.txt line 1: a tab (U+0009) inside the line; write each choice as plain text on its own line")) {
            try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "{@tabs}"), wildcards: set).expand()
        }
        #expect(throws: RequestMatrix.Failure.prompt("{@nope}: there is no file \(dir.url.path)/nope.txt (one choice per line)")) {
            try RequestMatrix(base: ImageRequest(model: "NanoBanana", prompt: "{@nope}"), wildcards: set).expand()
        }
    }
}
