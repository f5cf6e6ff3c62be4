import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// `i` and `+` on a saved picture, driven in memory: the composer takes the
/// picture's saved file as its reference, the task's prompt and model, and the
/// request carries where the picture came from.
@Suite("Remix keys")
struct RemixKeyTests {
    func driver() -> Driver {
        let d = Driver()
        d.answersFiles = false
        d.send(.tasksLoaded(Records.sample, replace: true))
        d.state.focus = .tasks
        return d
    }

    /// The shell's answer for saved files: they open (the test has none on disk).
    func inspected(_ d: Driver, _ paths: [String]) {
        d.send(.referencesInspected(Dictionary(uniqueKeysWithValues: paths.map { ($0, .success(LocalImage(path: $0, fileName: ($0 as NSString).lastPathComponent, format: .png, byteCount: 48_000))) })))
    }

    @Test("i on a task with saved pictures: its first picture is the reference, its prompt and model are ready to edit; Ctrl-S sends it with its origin")
    func remixFromTheList() throws {
        let d = driver()
        while d.state.selected?.localID != 4 { d.press(.down) }
        #expect(d.screen.contains("i remix"), "the hint names the key")
        d.press(.char("i"))
        #expect(d.state.focus == .compose)
        #expect(d.state.composer.references.text == "/data/results/task_4/0.png")
        #expect(d.state.composer.editor.text == "一只猫 on a roof at night 🎨")
        #expect(d.state.composer.modelID == "NanoBanana2-1K")
        #expect(d.state.message?.hasPrefix("Remix of #4 (picture 1)") == true)
        #expect(d.state.composer.request.origins == [PictureOrigin(localID: 4, taskID: "task_4", index: 0, sha256: "ab", path: "/data/results/task_4/0.png")])
        inspected(d, ["/data/results/task_4/0.png"])
        d.press(.end)
        d.type(", at dawn")
        d.press(.ctrl("s"))
        let sent = d.effects.compactMap { e -> ImageRequest? in if case let .submit(r) = e { return r }; return nil }
        let request = try #require(sent.first)
        #expect(request.references == ["/data/results/task_4/0.png"] && request.prompt.hasSuffix("at dawn"))
        #expect(request.origins.map(\.localID) == [4])
    }

    @Test("+ adds the picture to the references being composed (two results combined); removing its path drops its origin")
    func addAPicture() {
        let d = driver()
        while d.state.selected?.localID != 4 { d.press(.down) }
        d.press(.char("i"))
        d.state.focus = .tasks
        d.state.overlay = .fullPreview(FullPreview(localID: 4, index: 1))
        d.press(.char("+"))
        #expect(d.state.composer.references.text == "/data/results/task_4/0.png /data/results/task_4/1.png")
        #expect(d.state.composer.request.origins.map(\.index) == [0, 1])
        d.press(.char("+"))
        #expect(d.state.message?.contains("already a reference") == true)
        d.state.composer.references.setText("/data/results/task_4/1.png")
        #expect(d.state.composer.request.origins.map(\.index) == [1])
    }

    @Test("i in the full-screen preview takes the picture shown; with no saved picture it says why")
    func fullScreenAndNothingSaved() {
        let d = driver()
        d.state.overlay = .fullPreview(FullPreview(localID: 4, index: 1))
        d.press(.char("i"))
        #expect(d.state.overlay == nil)
        #expect(d.state.composer.references.text == "/data/results/task_4/1.png")
        #expect(d.state.message?.hasPrefix("Remix of #4 (picture 2)") == true)
        d.state.focus = .tasks
        while d.state.selected?.localID != 6 { d.press(.up) }
        d.press(.char("i"))
        #expect(d.state.message?.hasPrefix("No saved picture here to remix") == true)
    }

    @Test("the detail names a remix's parent and its children; u goes up to the parent, n down to a child")
    func family() {
        let d = driver()
        var child = Records.make(9, .succeeded, prompt: "at dawn", results: 1)
        child.request.origins = [PictureOrigin(localID: 4, taskID: "task_4", index: 1, sha256: "ab")]
        d.send(.taskChanged(child))
        d.state.selectedID = 9
        d.state.focus = .detail
        #expect(d.screen.contains("From     #4 (picture 2)  u"), "\(d.screen)")
        d.press(.char("u"))
        #expect(d.state.selectedID == 4)
        #expect(d.screen.contains("Children #9  n"), "\(d.screen)")
        d.press(.char("n"))
        #expect(d.state.selectedID == 9)
        d.state.selectedID = 6
        d.press(.char("u"))
        #expect(d.state.message == "#6 was not made from another picture")
    }

    @Test("F in the gallery shows only the selected picture's family: what it came from and what was made from it; F again shows all")
    func galleryFamily() {
        let d = Driver()
        func task(_ id: Int64, from parent: Int64?) -> TaskRecord {
            var t = Records.make(id, .succeeded, prompt: "p\(id)", results: 1)
            if let parent { t.request.origins = [PictureOrigin(localID: parent, taskID: nil, index: 0, sha256: "ab")] }
            return t
        }
        d.send(.tasksLoaded([task(5, from: 4), task(4, from: nil), task(3, from: 2), task(2, from: 1), task(1, from: nil)], replace: true))
        d.state.focus = .tasks
        while d.state.selected?.localID != 2 { d.press(.down) }
        d.press(.char("g"))
        #expect(GalleryPlanner.items(d.state).count == 5)
        d.press(.char("F"))
        #expect(GalleryPlanner.items(d.state).map(\.task.localID) == [3, 2, 1])
        #expect(d.state.message?.hasPrefix("The family of #2: 3 pictures") == true)
        d.press(.char("F"))
        #expect(GalleryPlanner.items(d.state).count == 5)
    }

    @Test("a remixed picture over the upload limit: the shell is asked to look at it as a remix, and its re-encoded copy takes its place, with its hash")
    func overLimitInTheTUI() {
        let d = driver()
        while d.state.selected?.localID != 4 { d.press(.down) }
        d.press(.char("i"))
        let asked = d.effects.compactMap { if case let .inspectReferences(p, remixed) = $0 { return (p, remixed) } else { return nil } }
        #expect(asked.last?.1 == ["/data/results/task_4/0.png"], "the shell knows it is a remix")
        d.send(.referenceShrunk(old: "/data/results/task_4/0.png", new: "/cache/remix/0-abc.jpg", how: "re-encoded as JPEG (quality 90), 6.0 MiB",
                                sha256: "cd"))
        #expect(d.state.composer.references.text == "/cache/remix/0-abc.jpg")
        #expect(d.state.composer.request.origins == [PictureOrigin(localID: 4, taskID: "task_4", index: 0, sha256: "cd", path: "/cache/remix/0-abc.jpg")])
        #expect(d.state.message == "#4 (picture 1) is over the 20 MiB upload limit: re-encoded as JPEG (quality 90), 6.0 MiB; that is what is sent")
    }
}

extension RemixKeyTests {
    // Found by a user trying the demo: typed text was replaced by i with no way back.
    @Test("i (and e) keep what the user was writing in the prompt history: ↑ brings it back")
    func typedTextKept() {
        let d = driver()
        d.state.focus = .compose
        d.type("MY UNSAVED TEXT")
        d.state.focus = .tasks
        while d.state.selected?.localID != 4 { d.press(.down) }
        d.press(.char("i"))
        #expect(d.state.message?.contains("what you were writing is in the prompt history") == true)
        #expect(d.state.promptHistory.first == "MY UNSAVED TEXT")
        d.press(.home)
        d.press(.up)
        #expect(d.state.composer.editor.text == "MY UNSAVED TEXT")
    }
}
