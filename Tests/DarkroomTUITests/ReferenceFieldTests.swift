import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// The Reference field as a shell user types it; `update` opens no file.
@Suite("The Reference field")
struct ReferenceFieldTests {
    /// A home folder with pictures in it.
    final class Home {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-home-\(UUID().uuidString)")
        init(_ files: [String]) {
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
            for f in files {
                let p = url.appendingPathComponent(f)
                try? FileManager.default.createDirectory(at: f.hasSuffix("/") ? p : p.deletingLastPathComponent(), withIntermediateDirectories: true)
                if !f.hasSuffix("/") { FileManager.default.createFile(atPath: p.path, contents: Data(png)) }
            }
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    func driver(_ home: Home) -> Driver {
        let d = Driver()
        d.state.composer.home = home.url.path
        for _ in 0..<7 { d.press(.tab) }
        #expect(d.state.composer.field == .references)
        return d
    }

    @Test("~/pictures/with space.png, quoted or with a backslash, and as a file:// link")
    func shellWords() {
        let home = Home(["pictures/with space.png"])
        let full = home.url.path + "/pictures/with space.png"
        for typed in ["~/'pictures/with space.png'", "~/pictures/with\\ space.png", "~/\"pictures/with space.png\"",
                      URL(fileURLWithPath: full).absoluteString] {
            let d = driver(home)
            d.state.composer.editor = PromptEditor("a cat")
            d.type(typed)
            #expect(d.state.composer.problems().isEmpty, "\(typed): \(d.state.composer.problems().map(\.message))")
            d.type(" ").press(.ctrl("s"))
            guard case let .submit(r) = d.effects.last else { Issue.record("\(typed) not sent"); continue }
            #expect(r.references == [typed.hasPrefix("file:") ? typed : full])
        }
    }

    @Test("an unclosed quote is marked, and nothing is sent")
    func unclosedQuote() {
        let home = Home([])
        let d = driver(home)
        d.type("'~/a b.png")
        d.state.composer.editor = PromptEditor("a cat")
        d.press(.ctrl("s"))
        #expect(!d.effects.contains { if case .submit = $0 { return true } else { return false } })
        #expect(d.state.message?.contains("quote is not closed") == true)
    }

    @Test("update opens no file: a typed path is an Effect, judged when the answer comes")
    func inspectionIsAnEffect() {
        let home = Home(["a.png"])
        let d = driver(home)
        d.answersFiles = false
        d.type("~/a.png")
        let asked = d.effects.compactMap { if case let .inspectReferences(p, _) = $0 { return p } else { return nil } }.flatMap { $0 }
        #expect(asked.last == home.url.path + "/a.png")
        #expect(d.state.composer.problems().map(\.message).contains("checking \"\(home.url.path)/a.png\"…"))
        d.send(.referencesInspected([home.url.path + "/a.png": RequestValidator.inspectFile(home.url.path + "/a.png")]))
        #expect(d.state.composer.problems().isEmpty)
        // Asked once per path: typing elsewhere does not ask again.
        let before = d.effects.count
        d.press(.f(3), .f(2))
        #expect(d.effects.count == before)
    }

    @Test("Tab completes: one match at once, then what the matches share, then a list to pick from")
    func tabCompletion() {
        let home = Home(["pics/sunset one.png", "pics/sunset two.png", "pics/sunrise.jpg", "pics/sub/", "pics/.hidden.png"])
        let d = driver(home)
        d.type("~/pi").press(.tab)
        #expect(d.state.composer.references.text == "~/pics/", "a folder: completed with its slash")
        d.type("sun").press(.tab)
        #expect(d.state.overlay?.completions?.entries.count == 3, "sunrise and the sunsets share only what is typed: a list")
        d.press(.escape)
        d.type("s").press(.tab)
        #expect(d.state.composer.references.text == "~/pics/sunset\\ ", "what the sunsets share, the space escaped")
        d.press(.tab)
        let list = d.state.overlay?.completions
        #expect(list?.entries.map(\.name) == ["sunset one.png", "sunset two.png"])
        #expect(d.screen.contains("▸ sunset one.png"))
        d.press(.down, .enter)
        #expect(d.state.composer.references.text == "~/pics/sunset\\ two.png ", "a file: completed, then a space")
        #expect(d.state.composer.problems().isEmpty)
        // In quotes, the name goes in as it is and the quote is closed.
        let q = driver(home)
        q.type("~/'pics/sunr")
        q.press(.tab)
        #expect(q.state.composer.references.text == "~/'pics/sunrise.jpg' ")
        // Nothing typed: Tab moves on, as everywhere.
        let empty = driver(home)
        empty.press(.tab)
        #expect(empty.state.focus == .tasks)
    }
}
