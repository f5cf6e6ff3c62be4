import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// The composer's Style field and `{@name}` wildcards, driven in memory.
@Suite("Styles and wildcards in the composer")
struct StyleKeyTests {
    static let film = PromptStyle(name: "film", template: "{prompt}, 35mm film, soft grain")
    static let noir = PromptStyle(name: "noir", template: "{prompt}, black and white")

    func driver(width: Int = 120, height: Int = 40, styles: [PromptStyle] = [film, noir]) -> Driver {
        let d = Driver(width: width, height: height)
        d.answersFiles = false
        d.state.composer.styles = styles
        d.send(.wildcardsLoaded(WildcardSet(folder: URL(fileURLWithPath: "/cfg/wildcards"), lines: ["colors": ["red", "teal", "amber"]],
                                            problems: ["empty": WildcardProblem(name: "empty", path: "/cfg/wildcards/empty.txt", line: nil,
                                                                                message: "/cfg/wildcards/empty.txt has no line")])))
        d.state.focus = .compose
        return d
    }

    func sent(_ d: Driver) -> [ImageRequest] {
        d.effects.compactMap { if case let .submit(r) = $0 { return r } else { return nil } }
    }

    func plan(_ d: Driver) -> RunPlan? {
        d.effects.compactMap { if case let .sendRun(p) = $0 { return p } else { return nil } }.last
    }

    @Test("no styles in the config: no Style field")
    func hiddenWithoutStyles() {
        let d = driver(styles: [])
        #expect(!d.state.composer.fields.contains(.style))
        #expect(!d.screen.contains("Style "))
    }

    @Test("the Style field wraps the prompt; the request records the style's name and the prompt as typed; Ctrl-S sends it styled")
    func oneStyle() throws {
        let d = driver()
        d.type("a fox")
        d.state.composer.field = .style
        #expect(d.screen.contains("Style     ‹ none"))
        d.press(.right)
        #expect(d.state.composer.style == "film")
        #expect(d.screen.contains("Style     ‹ film  {prompt}, 35mm film"))
        d.press(.ctrl("s"))
        let r = try #require(sent(d).first)
        #expect(r.prompt == "a fox, 35mm film, soft grain")
        #expect(r.style == StyleUse(name: "film", prompt: "a fox"))
    }

    @Test("Space on two styles makes them an axis of the run, with a wildcard file's lines: 2 × 3 requests")
    func styleAxisAndWildcard() throws {
        let d = driver()
        d.type("a {@colors} fox")
        #expect(d.state.composer.requestCount == 3)
        d.state.composer.field = .style
        d.press(.enter)
        #expect(d.state.overlay?.picker?.field == .style)
        d.press(.down, .char(" "), .down, .char(" "), .escape)
        #expect(d.state.composer.choices.styles == ["film", "noir"])
        #expect(d.state.composer.requestCount == 6)
        d.press(.ctrl("s"))
        d.press(.char("y"))
        let p = try #require(plan(d))
        #expect(p.requests.count == 6)
        #expect(p.requests.map(\.prompt).contains("a teal fox, black and white"))
        #expect(Set(p.requests.compactMap(\.style?.name)) == ["film", "noir"])
        #expect(p.axes.map(\.name) == ["@colors", "style"])
    }

    @Test("a wildcard with no file, or an empty one, is a problem naming the file: nothing is sent")
    func badWildcards() {
        let d = driver()
        d.type("a {@nosuch} fox")
        d.press(.ctrl("s"))
        #expect(sent(d).isEmpty && plan(d) == nil)
        #expect(d.state.message?.contains("wildcards/nosuch.txt") == true, "\(d.state.message ?? "")")
        d.press(.ctrl("u"), .ctrl("u"))
        d.type("an {@empty} sky")
        d.press(.ctrl("s"))
        #expect(sent(d).isEmpty)
        #expect(d.state.message?.contains("/cfg/wildcards/empty.txt has no line") == true, "\(d.state.message ?? "")")
    }

    @Test("e on a styled task loads the prompt as typed and its style; the detail shows the style, the prompt as typed and as sent")
    func editAndDetail() {
        let d = driver()
        var r = Records.make(7, .succeeded, prompt: "x")
        r.request = ImageRequest(model: "NanoBanana2-1K", prompt: "x", aspectRatio: "16:9").styled(Self.noir)
        r.request.style = StyleUse(name: "noir", prompt: "a quiet harbour")
        r.request.prompt = "a quiet harbour, black and white"
        d.send(.tasksLoaded([r], replace: true))
        d.state.focus = .detail
        #expect(d.screen.contains("Style    noir"))
        #expect(d.screen.contains("Prompt   as typed") && d.screen.contains("a quiet harbour, black and white"))
        d.press(.char("e"))
        #expect(d.state.composer.editor.text == "a quiet harbour" && d.state.composer.style == "noir")
    }

    @Test("snapshots: the composer with a style, and a run over two styles and a wildcard (80x24, 120x40)")
    func snapshots() {
        for (w, h) in [(80, 24), (120, 40)] {
            let d = driver(width: w, height: h)
            d.type("a {@colors} fox")
            d.state.composer.field = .style
            d.press(.enter, .down, .char(" "), .down, .char(" "), .escape)
            assertSnapshot(d.screen, named: "style-run-\(w)x\(h)")
        }
    }
}
